export { validate, getDefaultValidator, REFERENCE_VALIDATOR_SETTINGS, Validator } from './validator.js';
export { kapConformance, kapConformanceLoaded, kapPackageDir } from './kap-package.js';
export type { ValidateOptions, ValidatorConfig } from './validator.js';
export type { UnknownExtensionPolicy } from './extension-check.js';
export { ConformanceStore } from './conformance-store.js';
export type { ConformanceResource, LoadedProfile } from './conformance-store.js';
export { readConformanceFolder } from './package-loader.js';

export { validate, getDefaultValidator, kapPackageDir, Validator } from './validator.js';
export type { ValidateOptions, ValidatorConfig } from './validator.js';
export type { UnknownExtensionPolicy } from './extension-check.js';
export { ConformanceStore } from './conformance-store.js';
export type { LoadedProfile } from './conformance-store.js';
export { readConformanceFolder } from './package-loader.js';

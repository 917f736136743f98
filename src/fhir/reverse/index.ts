export { unmapBundle, type UnmapResult } from './unmap-bundle.js';
export type { Ignored, IgnoredReason } from './ignored.js';

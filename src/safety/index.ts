export { SAFETY_RULES, type SafetyRule, type SafetySignal, type SignalSeverity } from './types.js';
export { DEFAULT_SAFETY_CONFIG, safetyConfig, type SafetyConfig } from './config.js';
export { detectSignals } from './detect-signals.js';
export {
  clinicSystemOf,
  prescriberOf,
  SAFETY_SIGNAL_DISPLAY,
  signalEntries,
  signalIdentifierValue,
  toSignalResources,
  type SignalResources,
} from './signal-resources.js';

export { SAFETY_RULES, SIGNAL_SEVERITIES, type SafetyRule, type SafetySignal, type SignalSeverity } from './types.js';
export {
  DEFAULT_SAFETY_CONFIG,
  routeSettingsSchema,
  safetyConfig,
  safetyConfigSchema,
  safetyOverridesSchema,
  type RouteSettings,
  type SafetyConfig,
  type SafetyOverrides,
} from './config.js';
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

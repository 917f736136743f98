/**
 * Safety signal types (issue 5 §3; instruments.md §1, §4, §5, §7). One rule per `kap-safety-signal` code.
 */

/** The `kap-safety-signal` codes, one per rule. */
export const SAFETY_RULES = [
  'phq9-item9-positive',
  'cssrs-high',
  'cssrs-moderate',
  'cssrs-low',
  'bp-predose-high',
  'bp-discharge-high',
  'spo2-low',
  'dose-above-prescription',
  'dose-without-prescription',
  'route-mismatch',
  'side-effect-severe',
  'side-effect-moderate',
  'esketamine-early-discharge',
  'esketamine-bp-missing',
  'moaas-zero',
] as const;

/** A safety rule (= its `kap-safety-signal` code). */
export type SafetyRule = (typeof SAFETY_RULES)[number];

/** `urgent` reaches the prescriber at once; `attention` is for review. */
export type SignalSeverity = 'urgent' | 'attention';

/** A safety signal: the rule, its severity and the triggering resources (Bundle fullUrls), primary first. */
export interface SafetySignal {
  rule: SafetyRule;
  severity: SignalSeverity;
  resources: string[];
}

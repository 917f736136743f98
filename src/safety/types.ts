/**
 * Safety signal types (issue 5 §3, issue 13; instruments.md §1, §4, §5, §7; docs/safety.md). One rule per
 * `kap-safety-signal` code.
 */

/** The `kap-safety-signal` codes, one per rule, in the order signals are reported. */
export const SAFETY_RULES = [
  'phq9-item9-positive',
  'phq9-item9-unanswered',
  'cssrs-high',
  'cssrs-moderate',
  'cssrs-low',
  'cssrs-inconsistent',
  'bp-predose-high',
  'bp-predose-above-label',
  'bp-during-high',
  'bp-post-high',
  'bp-discharge-high',
  'heart-rate-out-of-range',
  'respiratory-rate-low',
  'respiratory-rate-high',
  'spo2-low',
  'respiratory-depression',
  'dose-above-prescription',
  'dose-without-prescription',
  'route-mismatch',
  'esketamine-dose-invalid',
  'esketamine-route-invalid',
  'dose-per-kg-above-ceiling',
  'dose-per-kg-unchecked',
  'esketamine-two-doses-same-day',
  'dose-interval-short',
  'sessions-exceed-prescription',
  'contraindication-pregnancy',
  'contraindication-vascular',
  'contraindication-hypersensitivity',
  'precaution-uncontrolled-hypertension',
  'precaution-psychosis-history',
  'precaution-substance-use',
  'interaction-bp',
  'interaction-sedation',
  'interaction-blunted-response',
  'medication-review-missing',
  'side-effect-severe',
  'side-effect-serious',
  'side-effect-moderate',
  'esketamine-early-discharge',
  'esketamine-bp-missing',
  'monitoring-bp-missing',
  'monitoring-spo2-missing',
  'monitoring-heart-rate-missing',
  'monitoring-respiratory-rate-missing',
  'observation-too-short',
  'discharge-time-missing',
  'discharge-criteria-not-met',
  'discharge-drove-self',
  'rems-form-incomplete',
  'moaas-zero',
] as const;

/** A safety rule (= its `kap-safety-signal` code). */
export type SafetyRule = (typeof SAFETY_RULES)[number];

/**
 * `urgent` reaches the prescriber at once (DetectedIssue severity high); `attention` is for review (moderate);
 * `information` is for the record (low).
 */
export type SignalSeverity = 'urgent' | 'attention' | 'information';

/** The signal severities, most severe first. */
export const SIGNAL_SEVERITIES: readonly SignalSeverity[] = ['urgent', 'attention', 'information'];

/** A safety signal: the rule, its severity and the triggering resources (Bundle fullUrls), primary first. */
export interface SafetySignal {
  rule: SafetyRule;
  severity: SignalSeverity;
  resources: string[];
}

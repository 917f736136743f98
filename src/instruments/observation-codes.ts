/**
 * The codes of the Observations the instruments yield beyond their totals (docs/design/issue-13-contract.md
 * "Instruments"): PHQ-9 item 9 (LOINC), PCL-5 cluster scores and DSM-5 provisional diagnosis, the C-SSRS
 * contradiction flag, and change from baseline. All but the LOINC item code are LOCAL codes of `kap-observation`
 * (published by profiles/ KapObservationCS, displays as in the contract table).
 */
import type { KapCoding } from '../terminology/coding.js';
import { KAP_OBSERVATION, LOINC } from '../terminology/systems.js';
import type { ChangeInstrumentId } from './change-from-baseline.js';

/**
 * PHQ-9 item 9 (thoughts of death or self-harm): LOINC 44260-8 (instruments.md §1, ✔ US Core / loinc.org 69729-2),
 * display as in ../shared/reference/clinical-codes.md §5 (its "(PHQ-9 item 9)" is the table's note, not the name).
 */
export const PHQ9_ITEM9_CODE: KapCoding = {
  system: LOINC,
  code: '44260-8',
  display: 'Thoughts that you would be better off dead, or of hurting yourself in some way',
};

function local(code: string, display: string): KapCoding {
  return { system: KAP_OBSERVATION, code, display };
}

/** PCL-5 DSM-5 cluster scores (instruments.md §3: B 1–5, C 6–7, D 8–14, E 15–20), keyed by cluster letter. */
export const PCL5_CLUSTER_CODES: Readonly<Record<'B' | 'C' | 'D' | 'E', KapCoding>> = {
  B: local('pcl5-cluster-b', 'PCL-5 cluster B intrusion score'),
  C: local('pcl5-cluster-c', 'PCL-5 cluster C avoidance score'),
  D: local('pcl5-cluster-d', 'PCL-5 cluster D cognition and mood score'),
  E: local('pcl5-cluster-e', 'PCL-5 cluster E arousal and reactivity score'),
};

/** PCL-5 provisional PTSD by the DSM-5 rule (NCPTSD "Using the PCL-5"; instruments.md §3). */
export const PCL5_DSM5_PROVISIONAL_CODE: KapCoding = local('pcl5-dsm5-provisional', 'PCL-5 provisional PTSD by the DSM-5 rule');

/** C-SSRS answers that contradict each other (project rule, contract issue 13). */
export const CSSRS_INCONSISTENT_CODE: KapCoding = local('cssrs-inconsistent', 'C-SSRS answers contradict each other');

/** The code of each instrument's change-from-baseline Observation. */
export const CHANGE_CODES: Readonly<Record<ChangeInstrumentId, KapCoding>> = {
  phq9: local('phq9-change', 'PHQ-9 change from baseline'),
  gad7: local('gad7-change', 'GAD-7 change from baseline'),
  pcl5: local('pcl5-change', 'PCL-5 change from baseline'),
};

/** Components of a change-from-baseline Observation. */
export const CHANGE_COMPONENT_CODES: Readonly<
  Record<'changePoints' | 'response' | 'remission' | 'meaningfulImprovement', KapCoding>
> = {
  changePoints: local('change-points', 'Points of change from baseline'),
  response: local('response', 'Response'),
  remission: local('remission', 'Remission'),
  meaningfulImprovement: local('meaningful-improvement', 'Clinically meaningful improvement'),
};

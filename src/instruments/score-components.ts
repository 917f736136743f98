/**
 * The `component`s a score Observation carries besides its value (docs/design/issue-13-contract.md "Instruments"):
 * PCL-5 cluster scores B–E (valueInteger) and the DSM-5 provisional diagnosis (valueBoolean) on the total; the C-SSRS
 * contradiction flag (valueBoolean true, only when the answers contradict each other) on the risk Observation.
 */
import type { ObservationComponent } from '@medplum/fhirtypes';
import { coding } from '../terminology/coding.js';
import { CSSRS_INCONSISTENT_CODE, PCL5_CLUSTER_CODES, PCL5_DSM5_PROVISIONAL_CODE } from './observation-codes.js';
import type { InstrumentId, ScoreResult } from './types.js';

/**
 * The components of a successful score (empty for instruments without any, and for a refusal).
 * @param instrument - the instrument id
 * @param result - its score result
 */
export function scoreComponents(instrument: InstrumentId, result: ScoreResult): ObservationComponent[] {
  if (!result.ok) {
    return [];
  }
  const out: ObservationComponent[] = [];
  if (instrument === 'pcl5') {
    for (const cluster of ['B', 'C', 'D', 'E'] as const) {
      const value = result.subscales?.[cluster];
      if (value !== undefined) {
        out.push({ code: { coding: [coding(PCL5_CLUSTER_CODES[cluster])] }, valueInteger: value });
      }
    }
    if (result.provisionalDiagnosis !== undefined) {
      out.push({ code: { coding: [coding(PCL5_DSM5_PROVISIONAL_CODE)] }, valueBoolean: result.provisionalDiagnosis });
    }
  }
  if (result.inconsistent) {
    out.push({ code: { coding: [coding(CSSRS_INCONSISTENT_CODE)] }, valueBoolean: true });
  }
  return out;
}

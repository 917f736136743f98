/**
 * Side-effect and sedation rules: AdverseEvent severity severe → urgent, moderate → attention (instruments.md §7,
 * project rule); MOAA/S 0 (`kap-observation#moaas`, loss of consciousness) → urgent (instruments.md §5, project rule).
 */
import type { BundleIndex } from '../bundle-index.js';
import { ADVERSE_EVENT_SEVERITY, KAP_OBSERVATION } from '../terminology/systems.js';
import { hasCoding } from './episode-view.js';
import type { SafetySignal } from './types.js';

/** One signal per actual AdverseEvent with severity severe (urgent) or moderate (attention). */
export function sideEffectSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const e of index.ofType('AdverseEvent')) {
    if (e.resource.actuality === 'potential') {
      continue;
    }
    const severity = e.resource.severity?.coding;
    if (hasCoding(severity, ADVERSE_EVENT_SEVERITY, 'severe')) {
      out.push({ rule: 'side-effect-severe', severity: 'urgent', resources: [e.ref] });
    } else if (hasCoding(severity, ADVERSE_EVENT_SEVERITY, 'moderate')) {
      out.push({ rule: 'side-effect-moderate', severity: 'attention', resources: [e.ref] });
    }
  }
  return out;
}

/** Every MOAA/S score of 0 → urgent. */
export function moaasSignals(index: BundleIndex): SafetySignal[] {
  return index
    .ofType('Observation')
    .filter(
      (o) =>
        o.resource.status !== 'entered-in-error' &&
        hasCoding(o.resource.code.coding, KAP_OBSERVATION, 'moaas') &&
        o.resource.valueInteger === 0
    )
    .map((o) => ({ rule: 'moaas-zero', severity: 'urgent', resources: [o.ref] }));
}

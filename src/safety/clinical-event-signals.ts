/**
 * Side-effect, sedation and breathing rules: AdverseEvent severity severe → urgent, moderate → attention
 * (instruments.md §7, project rule); AdverseEvent seriousness `serious` → urgent (project rule: a serious adverse
 * event is reportable); MOAA/S 0 (`kap-observation#moaas`, loss of consciousness) → urgent (instruments.md §5,
 * project rule); respiratory depression observed (`kap-observation#respiratory-depression` true) → urgent (the
 * Spravato REMS asks to monitor until respiratory depression resolves; project rule).
 */
import type { BundleIndex } from '../bundle-index.js';
import { ADVERSE_EVENT_SERIOUSNESS, ADVERSE_EVENT_SEVERITY, KAP_OBSERVATION } from '../terminology/systems.js';
import { hasCoding, usable } from './episode-view.js';
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

/** Every actual AdverseEvent with seriousness `serious` → urgent. */
export function seriousAdverseEventSignals(index: BundleIndex): SafetySignal[] {
  return index
    .ofType('AdverseEvent')
    .filter((e) => e.resource.actuality !== 'potential' && hasCoding(e.resource.seriousness?.coding, ADVERSE_EVENT_SERIOUSNESS, 'serious'))
    .map((e) => ({ rule: 'side-effect-serious', severity: 'urgent', resources: [e.ref] }));
}

/** Every respiratory-depression Observation recording it as observed → urgent. */
export function respiratoryDepressionSignals(index: BundleIndex): SafetySignal[] {
  return index
    .ofType('Observation')
    .filter(
      (o) =>
        usable(o.resource) &&
        hasCoding(o.resource.code.coding, KAP_OBSERVATION, 'respiratory-depression') &&
        o.resource.valueBoolean === true
    )
    .map((o) => ({ rule: 'respiratory-depression', severity: 'urgent', resources: [o.ref] }));
}

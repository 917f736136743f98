/**
 * The C-SSRS screener results of an episode (docs/summary.md "Suicide risk screening"): every usable
 * `kap-instrument-score` Observation coded LOINC 93374-7 "Suicide risk level" (src/fhir/instrument-score.ts), in time
 * order, with its risk level (`valueCodeableConcept`, `kap-cssrs-risk`), the `kap-observation#cssrs-inconsistent`
 * component, and the screener's version read from the Questionnaire canonical of the QuestionnaireResponse it is
 * derived from (`cssrs-screen` = recent, `cssrs-since-last-visit` = since last visit).
 */
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import type { BundleIndex } from '../bundle-index.js';
import { CSSRS_RISK_CODE } from '../instruments/cssrs-screen.js';
import { instrumentOfResponse } from '../instruments/response-answers.js';
import { byEffectiveTime, hasCoding, usable } from '../safety/episode-view.js';
import { KAP_CSSRS_RISK, KAP_OBSERVATION, LOINC } from '../terminology/systems.js';
import { displayOf, hasKapProfile, localIdOf } from './read-fhir.js';
import type { SuicideRiskResult } from './session-view.js';

/**
 * The C-SSRS results of the episode, in time order.
 * @param index - the episode Bundle index
 * @param sessionRefs - refs (fullUrls) of the session's window (src/sync/session-findings.ts)
 */
export function suicideRiskResults(index: BundleIndex, sessionRefs: ReadonlySet<string>): SuicideRiskResult[] {
  const risks = index
    .ofType('Observation')
    .filter((o) => usable(o.resource) && hasKapProfile(o.resource, 'kap-instrument-score') && hasCoding(o.resource.code.coding, LOINC, CSSRS_RISK_CODE.code ?? ''));
  return byEffectiveTime(risks).map((o) => {
    const coding = o.resource.valueCodeableConcept?.coding?.find((c) => c.system === KAP_CSSRS_RISK);
    const qr = (o.resource.derivedFrom ?? []).map((d) => index.resolve(d)?.resource).find((r): r is QuestionnaireResponse => r?.resourceType === 'QuestionnaireResponse');
    const inconsistent = o.resource.component?.some((c) => hasCoding(c.code.coding, KAP_OBSERVATION, 'cssrs-inconsistent') && c.valueBoolean === true) ?? false;
    return {
      id: localIdOf(o.resource) ?? o.ref,
      time: o.resource.effectiveDateTime ?? '',
      version: qr && instrumentOfResponse(qr) === 'cssrs-since-last-visit' ? 'since-last-visit' : 'recent',
      risk: coding?.code ?? '',
      riskDisplay: coding?.display ?? displayOf(o.resource.valueCodeableConcept) ?? 'not recorded',
      inconsistent,
      thisSession: sessionRefs.has(o.ref),
    };
  });
}

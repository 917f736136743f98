/**
 * The questionnaire responses of an episode that could not be scored (docs/summary.md "Scores"): a QuestionnaireResponse
 * of a kap-fhir instrument (by its `questionnaire` canonical), not entered in error and not a REMS record, that no
 * usable `kap-instrument-score` Observation is derived from — e.g. a PHQ-9 whose item 9 was left blank (status
 * `stopped`, no total, only the `phq9-item9-unanswered` signal). The required items left unanswered are found by the
 * instrument's own scoring rule on the response's answers, named by item number ("item 9") or linkId.
 */
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { getInstrument } from '../instruments/registry.js';
import { answeredScores, instrumentOfResponse } from '../instruments/response-answers.js';
import type { InstrumentId } from '../instruments/types.js';
import { usable } from '../safety/episode-view.js';
import { hasKapProfile, localIdOf } from './read-fhir.js';
import type { UnscoredResponse } from './session-view.js';

/**
 * An item as a prescriber reads it: "item 9" for a numbered linkId (`phq9-9`), else the linkId.
 * @param linkId - the item's linkId
 */
export function itemName(linkId: string): string {
  const n = /-(\d+[a-z]?)$/.exec(linkId)?.[1];
  return n !== undefined ? `item ${n}` : linkId;
}

/**
 * The required items a response leaves unanswered, by the instrument's scoring rule (its refusal names them), else
 * the required items without answer and without branching.
 * @param instrument - the instrument id
 * @param qr - the response
 */
export function unansweredItems(instrument: InstrumentId, qr: QuestionnaireResponse): string[] {
  const def = getInstrument(instrument);
  const scores = answeredScores(qr, instrument);
  const answers: Record<string, number | null> = Object.fromEntries(def.items.map((item) => [item.linkId, scores[item.linkId] ?? null]));
  const result = def.score(answers);
  const missing = result.ok
    ? []
    : result.missing.filter((id) => answers[id] === null || answers[id] === undefined);
  const linkIds =
    missing.length > 0 ? missing : def.items.filter((i) => i.required && !i.enableWhen && answers[i.linkId] === null).map((i) => i.linkId);
  return linkIds.map(itemName);
}

/**
 * The entries of one instrument's unscored responses, in time order (authored, then Bundle order).
 * @param index - the episode Bundle index
 * @param instrument - the instrument id (its Questionnaire canonical)
 */
export function unscoredResponseEntries(index: BundleIndex, instrument: InstrumentId): IndexedEntry<QuestionnaireResponse>[] {
  const scored = new Set(
    index
      .ofType('Observation')
      .filter((o) => usable(o.resource) && hasKapProfile(o.resource, 'kap-instrument-score'))
      .flatMap((o) => (o.resource.derivedFrom ?? []).map((d) => index.resolve(d)?.ref))
  );
  return index
    .ofType('QuestionnaireResponse')
    .filter(
      (q) =>
        q.resource.status !== 'entered-in-error' &&
        !hasKapProfile(q.resource, 'kap-rems-monitoring-response') &&
        instrumentOfResponse(q.resource) === instrument &&
        !scored.has(q.ref)
    )
    .sort((a, b) => (timeOf(a.resource.authored) ?? -Infinity) - (timeOf(b.resource.authored) ?? -Infinity) || a.index - b.index);
}

/**
 * The unscored responses of one instrument, in time order.
 * @param index - the episode Bundle index
 * @param instrument - the instrument id (its Questionnaire canonical)
 * @param sessionRefs - refs (fullUrls) of the session's window (src/sync/session-findings.ts adds its responses)
 */
export function unscoredResponses(index: BundleIndex, instrument: InstrumentId, sessionRefs: ReadonlySet<string>): UnscoredResponse[] {
  return unscoredResponseEntries(index, instrument).map((q) => ({
    id: localIdOf(q.resource) ?? q.ref,
    time: q.resource.authored ?? '',
    status: q.resource.status,
    missing: unansweredItems(instrument, q.resource),
    thisSession: sessionRefs.has(q.ref),
  }));
}

/**
 * QuestionnaireResponse ↔ item scores. A response holds one item per answered item with `answer[0].valueCoding` =
 * the answer option's coding (docs/conventions.md); reading back accepts the option's coding or a `valueInteger`
 * equal to an option's score. Scores come from the options (their ordinalValue), never from display text.
 */
import type {
  Identifier,
  OperationOutcomeIssue,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
} from '@medplum/fhirtypes';
import { kapProfile } from '../terminology/systems.js';
import { issue } from '../outcomes.js';
import { getInstrument, INSTRUMENT_IDS } from './registry.js';
import type { Instrument, InstrumentId, InstrumentItem } from './types.js';

/** Where a response belongs (all optional: a bare submission has no patient context). */
export interface ResponseContext {
  authored: string;
  subject?: QuestionnaireResponse['subject'];
  encounter?: QuestionnaireResponse['encounter'];
  identifier?: Identifier;
}

/**
 * Builds the QuestionnaireResponse (status completed; profile kap-questionnaire-response when subject and identifier
 * are given, as the profile requires them) of item scores:
 * answered items in item order, unanswered items omitted. Scores that are no option of their item are omitted too
 * (callers score first: the scoring refuses them).
 * @param instrument - the instrument
 * @param answers - item scores by linkId
 * @param ctx - authored, subject, encounter, identifier
 */
export function responseFromAnswers(
  instrument: Instrument,
  answers: Record<string, number | null>,
  ctx: ResponseContext
): QuestionnaireResponse {
  const items: QuestionnaireResponseItem[] = [];
  for (const item of instrument.items) {
    const option = item.options.find((o) => o.score === answers[item.linkId]);
    if (option) {
      items.push({ linkId: item.linkId, text: item.text, answer: [{ valueCoding: { ...option.code } }] });
    }
  }
  const qr: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', status: 'completed' };
  if (ctx.subject && ctx.identifier) {
    // kap-questionnaire-response requires subject and identifier: declared only when both are known
    qr.meta = { profile: [kapProfile('kap-questionnaire-response')] };
  }
  if (ctx.identifier) {
    qr.identifier = { ...ctx.identifier };
  }
  qr.questionnaire = instrument.url;
  if (ctx.subject) {
    qr.subject = { ...ctx.subject };
  }
  if (ctx.encounter) {
    qr.encounter = { ...ctx.encounter };
  }
  qr.authored = ctx.authored;
  if (items.length > 0) {
    qr.item = items;
  }
  return qr;
}

/** The instrument a response answers, from its `questionnaire` canonical (a `|version` suffix is ignored). */
export function instrumentOfResponse(qr: QuestionnaireResponse): InstrumentId | undefined {
  const canonical = qr.questionnaire?.split('|')[0];
  return INSTRUMENT_IDS.find((id) => getInstrument(id).url === canonical);
}

function flatten(items: QuestionnaireResponseItem[] | undefined, out: QuestionnaireResponseItem[] = []): QuestionnaireResponseItem[] {
  for (const it of items ?? []) {
    out.push(it);
    flatten(it.item, out);
    for (const a of it.answer ?? []) {
      flatten(a.item, out);
    }
  }
  return out;
}

/** The score of one response item's first answer, or undefined when it matches no option. */
export function answerScore(item: InstrumentItem, answer: QuestionnaireResponseItem['answer']): number | null | undefined {
  const first = answer?.[0];
  if (!first) {
    return null;
  }
  if (first.valueCoding) {
    const c = first.valueCoding;
    return item.options.find((o) => o.code.code === c.code && (c.system === undefined || c.system === o.code.system))
      ?.score;
  }
  if (first.valueInteger !== undefined) {
    return item.options.some((o) => o.score === first.valueInteger) ? first.valueInteger : undefined;
  }
  return undefined;
}

/**
 * The item scores a response gives, leniently (any status; nested items included; an answer matching no option, or an
 * item not of the instrument, is skipped): what the safety rules and the summaries read, where a malformed item must
 * not stop the read. Unanswered items are absent.
 * @param qr - the response
 * @param id - the instrument it answers
 */
export function answeredScores(qr: QuestionnaireResponse, id: InstrumentId): Record<string, number> {
  const items = getInstrument(id).items;
  const out: Record<string, number> = {};
  for (const it of flatten(qr.item)) {
    const item = items.find((i) => i.linkId === it.linkId);
    const score = item ? answerScore(item, it.answer) : undefined;
    if (item && score !== undefined && score !== null) {
      out[item.linkId] = score;
    }
  }
  return out;
}

/** Item scores read from a response, or the issues that prevent reading them. */
export type ResponseAnswers =
  | { ok: true; instrument: InstrumentId; answers: Record<string, number | null> }
  | { ok: false; issues: OperationOutcomeIssue[] };

/** The response statuses that are scored: an `in-progress` or `stopped` response is not final, so not scored. */
const SCORED_STATUSES: ReadonlySet<string> = new Set(['completed', 'amended']);

/**
 * Reads item scores from a FHIR QuestionnaireResponse of one of our instruments.
 * Only a `completed` or `amended` response is read (other statuses are refused naming `QuestionnaireResponse.status`).
 * Unknown linkIds and answers matching no option are reported (code `code-invalid`, expression naming the linkId).
 * @param qr - the response
 */
export function answersFromResponse(qr: QuestionnaireResponse): ResponseAnswers {
  const instrumentId = instrumentOfResponse(qr);
  if (!instrumentId) {
    return {
      ok: false,
      issues: [issue('error', 'not-supported', 'Questionnaire is not one of the kap-fhir instruments', 'QuestionnaireResponse.questionnaire')],
    };
  }
  if (qr.status === 'entered-in-error') {
    return { ok: false, issues: [issue('error', 'business-rule', 'Response was entered in error', 'QuestionnaireResponse.status')] };
  }
  if (!SCORED_STATUSES.has(qr.status as string)) {
    return {
      ok: false,
      issues: [issue('error', 'business-rule', 'Only a completed or amended response is scored', 'QuestionnaireResponse.status')],
    };
  }
  const instrument = getInstrument(instrumentId);
  const answers: Record<string, number | null> = {};
  const issues: OperationOutcomeIssue[] = [];
  for (const it of flatten(qr.item)) {
    const item = instrument.items.find((i) => i.linkId === it.linkId);
    if (!item) {
      if (it.answer?.length) {
        issues.push(issue('error', 'code-invalid', 'Item is not part of the instrument', itemExpression(it.linkId)));
      }
      continue;
    }
    const score = answerScore(item, it.answer);
    if (score === undefined) {
      issues.push(issue('error', 'code-invalid', 'Answer is not one of the item answer options', itemExpression(it.linkId)));
    } else {
      answers[item.linkId] = score;
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, instrument: instrumentId, answers };
}

/** FHIRPath naming one response item by linkId. */
export function itemExpression(linkId: string | undefined): string {
  return `QuestionnaireResponse.item.where(linkId='${String(linkId ?? '').replace(/'/g, '')}')`;
}

/**
 * Scoring into FHIR (issue 5 §2): a KAP submission or a FHIR QuestionnaireResponse → the response and its score
 * Observation(s), or an OperationOutcome naming why it cannot be scored (missing linkIds in `expression`).
 * Both input forms go through the same item scores and the same `Instrument.score()`, so they score identically.
 */
import type { Observation, OperationOutcome, OperationOutcomeIssue, QuestionnaireResponse } from '@medplum/fhirtypes';
import { invalidSubmission, issue, outcome } from '../outcomes.js';
import { REFUSAL_REASONS } from './evaluate-answers.js';
import { getInstrument } from './registry.js';
import { answersFromResponse, itemExpression, responseFromAnswers } from './response-answers.js';
import { scoreObservations } from './score-observations.js';
import { instrumentSubmissionSchema } from './submission.js';
import type { InstrumentId, ScoreResult } from './types.js';

/** A scored submission, or the outcome explaining the refusal. */
export type ScoredSubmission =
  | {
      ok: true;
      instrument: InstrumentId;
      answers: Record<string, number | null>;
      result: Extract<ScoreResult, { ok: true }>;
      response: QuestionnaireResponse;
      observations: Observation[];
    }
  | { ok: false; outcome: OperationOutcome };

/** Options of {@link scoreSubmission}. */
export interface ScoreOptions {
  /** How the Observations reference the response (e.g. its `urn:uuid:` fullUrl); default `QuestionnaireResponse/<id>`. */
  responseReference?: string;
}

function isQuestionnaireResponse(input: unknown): input is QuestionnaireResponse {
  return typeof input === 'object' && input !== null && (input as { resourceType?: unknown }).resourceType === 'QuestionnaireResponse';
}

/**
 * The OperationOutcome of a refused score: code `incomplete` for missing items, `code-invalid` for answers that are
 * no option or items that are not part of the instrument; each issue's expression names the linkId.
 * @param result - the refusal
 * @param fhirForm - true for a QuestionnaireResponse (FHIRPath on items), false for a KAP submission (`answers.<linkId>`)
 */
export function refusalOutcome(result: Extract<ScoreResult, { ok: false }>, fhirForm: boolean): OperationOutcome {
  const missing = result.reason === REFUSAL_REASONS.missing;
  const issues: OperationOutcomeIssue[] = result.missing.map((linkId) =>
    issue(
      'error',
      missing ? 'incomplete' : 'code-invalid',
      missing ? 'Item is unanswered; the instrument is not scored without it (no proration)' : result.reason,
      fhirForm ? itemExpression(linkId) : `answers.${linkId}`
    )
  );
  return outcome(issues);
}

/**
 * Scores a KAP submission `{instrument, answers, authored, sessionId?}` or a FHIR QuestionnaireResponse.
 * @param input - parsed JSON
 * @param options - reference to use from the Observations to the response
 * @returns the response (the given one for FHIR input, a generated one for KAP input) and the Observations, or an
 *   OperationOutcome (invalid submission, unknown questionnaire, answers matching no option, missing items)
 */
export function scoreSubmission(input: unknown, options: ScoreOptions = {}): ScoredSubmission {
  let instrument: InstrumentId;
  let answers: Record<string, number | null>;
  let response: QuestionnaireResponse;
  const fhirForm = isQuestionnaireResponse(input);
  if (fhirForm) {
    const read = answersFromResponse(input);
    if (!read.ok) {
      return { ok: false, outcome: outcome(read.issues) };
    }
    if (!input.authored) {
      return {
        ok: false,
        outcome: outcome([issue('error', 'required', 'Response has no authored time', 'QuestionnaireResponse.authored')]),
      };
    }
    ({ instrument, answers } = read);
    response = input;
  } else {
    const parsed = instrumentSubmissionSchema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, outcome: invalidSubmission(parsed.error) };
    }
    instrument = parsed.data.instrument;
    answers = parsed.data.answers;
    response = responseFromAnswers(getInstrument(instrument), answers, { authored: parsed.data.authored });
  }
  const def = getInstrument(instrument);
  const result = def.score(answers);
  if (!result.ok) {
    return { ok: false, outcome: refusalOutcome(result, fhirForm) };
  }
  const derivedFrom = options.responseReference ?? (response.id ? `QuestionnaireResponse/${response.id}` : undefined);
  const observations = scoreObservations(def, result, {
    derivedFrom,
    authored: response.authored as string,
    subject: response.subject as Observation['subject'],
    encounter: response.encounter,
    identifier: response.identifier,
  }, answers);
  return { ok: true, instrument, answers, result, response, observations };
}

/**
 * The status of a QuestionnaireResponse made from KAP answers. FHIR R4 `Questionnaire.item.required` means "must be
 * present in a *completed* QuestionnaireResponse", so a response with a required item left blank (a PHQ-9 with item 9
 * unanswered) cannot be `completed` against our Questionnaires. It is kept, as `stopped` ("partially filled out with
 * answers but has been abandoned", R4 QuestionnaireResponseStatus): stored and sent, never scored (instruments.md §0:
 * refuse to score, never prorate), and its blank item raises what safety asks of it (issue 13: `phq9-item9-unanswered`).
 */
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { checkAnswers } from './evaluate-answers.js';
import type { Instrument } from './types.js';

/**
 * `completed` when every applicable required item is answered, else `stopped`.
 * @param instrument - the instrument
 * @param answers - item scores by linkId (`null` or absent = unanswered)
 */
export function responseStatus(
  instrument: Instrument,
  answers: Record<string, number | null>
): Extract<QuestionnaireResponse['status'], 'completed' | 'stopped'> {
  return checkAnswers(instrument.items, answers).missing.length > 0 ? 'stopped' : 'completed';
}

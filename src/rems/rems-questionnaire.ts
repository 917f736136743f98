/**
 * The FHIR R4 Questionnaire of the Spravato REMS Patient Monitoring Form record, generated from the item table
 * (rems-items.ts) — the only copy: profiles/ publishes this output (scripts/build-profiles.ts), like the instrument
 * Questionnaires.
 */
import type { Questionnaire, QuestionnaireItem } from '@medplum/fhirtypes';
import { kapQuestionnaire } from '../terminology/systems.js';
import { REMS_ITEMS, type RemsItem } from './rems-items.js';

/** Resource id of the Questionnaire. */
export const REMS_QUESTIONNAIRE_ID = 'spravato-rems-monitoring';

/** Canonical URL: `https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring`. */
export const REMS_QUESTIONNAIRE_URL = kapQuestionnaire(REMS_QUESTIONNAIRE_ID);

/** Version of the item table (raise it with any change to the linkIds or their meaning). */
export const REMS_QUESTIONNAIRE_VERSION = '1.0.0';

function questionnaireItem(item: RemsItem): QuestionnaireItem {
  const out: QuestionnaireItem = {
    linkId: item.linkId,
    text: item.text,
    type: item.type,
    required: item.required,
  };
  if (item.repeats) {
    out.repeats = true;
  }
  if (item.integerOptions) {
    out.answerOption = item.integerOptions.map((valueInteger) => ({ valueInteger }));
  }
  if (item.items) {
    out.item = item.items.map(questionnaireItem);
  }
  return out;
}

/**
 * The REMS monitoring record's Questionnaire (status active, subjectType Patient). Deterministic: same JSON every
 * call.
 */
export function remsMonitoringQuestionnaire(): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    id: REMS_QUESTIONNAIRE_ID,
    url: REMS_QUESTIONNAIRE_URL,
    version: REMS_QUESTIONNAIRE_VERSION,
    name: 'SpravatoRemsMonitoring',
    title: 'Spravato REMS patient monitoring record',
    status: 'active',
    experimental: false,
    subjectType: ['Patient'],
    publisher: 'kap-fhir',
    description:
      'The data a certified healthcare setting reports on the Spravato (esketamine) REMS Patient Monitoring Form after ' +
      'each treatment session, filled by kap-fhir from the session record. Modelled from public descriptions of the ' +
      'form; item texts are kap-fhir wording, not the form text (docs/summary.md "REMS monitoring record" lists which fields follow the form). ' +
      'This record is not the REMS form and is not submitted to the REMS by kap-fhir.',
    item: REMS_ITEMS.map(questionnaireItem),
  };
}

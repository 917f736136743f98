/**
 * `remsMonitoringResponse(bundle, maFullUrl)`: the Spravato REMS Patient Monitoring Form record of one esketamine
 * dosing session, as a QuestionnaireResponse to the `spravato-rems-monitoring` Questionnaire, filled from the mapped
 * FHIR resources of the session (rems-facts.ts), with the required fields the session cannot fill named.
 *
 * The response holds PHI (patient name, birth date): never log it; log ids and counts (`missing` holds linkIds and
 * item texts only, never a value).
 */
import type {
  Bundle,
  MedicationAdministration,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
} from '@medplum/fhirtypes';
import { BundleIndex, type IndexedEntry } from '../bundle-index.js';
import { issue, OperationOutcomeError, outcome } from '../outcomes.js';
import { safetyConfig, type SafetyConfig, type SafetyOverrides } from '../safety/config.js';
import { encounterOfDose, isEsketamine, recordedDischargeTime, doseStart } from '../safety/episode-view.js';
import { clinicSystemOf } from '../safety/signal-resources.js';
import { kapProfile } from '../terminology/systems.js';
import { readRemsAnswers, type RemsAnswers } from './rems-facts.js';
import { REMS_ITEMS, type RemsItem } from './rems-items.js';
import { REMS_QUESTIONNAIRE_URL, REMS_QUESTIONNAIRE_VERSION } from './rems-questionnaire.js';

/** Profile of the REMS record's QuestionnaireResponse (profiles/ KapRemsMonitoringResponse). */
export const REMS_RESPONSE_PROFILE = kapProfile('kap-rems-monitoring-response');

/** Suffix of the record's business identifier: `<episodeId>/<sessionId>-rems`. */
export const REMS_IDENTIFIER_SUFFIX = '-rems';

/** A required field the session cannot fill. */
export interface RemsMissingItem {
  linkId: string;
  text: string;
}

/** The REMS record of one session. */
export interface RemsMonitoringRecord {
  /** `completed` when no required field is missing, else `in-progress`. */
  response: QuestionnaireResponse;
  /** Each required field the session cannot fill, as `<linkId>: <text>` (a section all of whose fields are missing is named once). */
  missing: string[];
  /** The same fields, structured. */
  missingItems: RemsMissingItem[];
}

/**
 * The required fields without an answer. A section whose fields are all required and all unanswered (a blood pressure,
 * the medication classes) is named as one; otherwise each field is named.
 */
export function missingRemsItems(answers: RemsAnswers, items: readonly RemsItem[] = REMS_ITEMS): RemsMissingItem[] {
  const out: RemsMissingItem[] = [];
  for (const item of items) {
    if (item.type !== 'group') {
      if (item.required && !answers.has(item.linkId)) {
        out.push({ linkId: item.linkId, text: item.text });
      }
      continue;
    }
    const children = item.items ?? [];
    const inner = missingRemsItems(answers, children);
    const allRequired = children.every((c) => c.required && c.type !== 'group');
    if (item.required && allRequired && children.length > 0 && inner.length === children.length) {
      out.push({ linkId: item.linkId, text: item.text });
    } else {
      out.push(...inner);
    }
  }
  return out;
}

/** The response items of one level: answered fields, and the sections holding at least one. */
function responseItems(items: readonly RemsItem[], answers: RemsAnswers): QuestionnaireResponseItem[] {
  return items.flatMap((item): QuestionnaireResponseItem[] => {
    if (item.type === 'group') {
      const children = responseItems(item.items ?? [], answers);
      return children.length ? [{ linkId: item.linkId, text: item.text, item: children }] : [];
    }
    const answer = answers.get(item.linkId);
    return answer?.length ? [{ linkId: item.linkId, text: item.text, answer: answer.map((a) => ({ ...a })) }] : [];
  });
}

function esketamineDose(index: BundleIndex, maFullUrl: string): IndexedEntry<MedicationAdministration> {
  const entry = index.resolve(maFullUrl);
  if (entry?.resource.resourceType !== 'MedicationAdministration') {
    throw new OperationOutcomeError(outcome([issue('error', 'not-found', 'No MedicationAdministration with this fullUrl in the Bundle')]));
  }
  const ma = entry as IndexedEntry<MedicationAdministration>;
  if (!isEsketamine(ma.resource)) {
    throw new OperationOutcomeError(
      outcome([issue('error', 'not-supported', 'The Spravato REMS record is made for esketamine nasal spray sessions only')])
    );
  }
  return ma;
}

/**
 * The REMS record of one esketamine dose from an indexed Bundle (what the safety rule and the public function share).
 * @param bundle - the episode Bundle
 * @param index - its index
 * @param ma - the esketamine MedicationAdministration entry
 * @param config - the clinic's safety config
 */
export function remsRecordOf(bundle: Bundle, index: BundleIndex, ma: IndexedEntry<MedicationAdministration>, config: SafetyConfig): RemsMonitoringRecord {
  const answers = readRemsAnswers(index, ma, config);
  const missingItems = missingRemsItems(answers);
  const encounter = encounterOfDose(index, ma.resource);
  const patient = index.resolve(ma.resource.subject);
  const organization = index.resolve(encounter?.resource.serviceProvider) ?? index.ofType('Organization')[0];
  const system = clinicSystemOf(bundle, index);
  const maValue = ma.resource.identifier?.[0]?.value;
  const authored = (encounter ? recordedDischargeTime(encounter.resource) : undefined) ?? doseStart(ma.resource);
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [REMS_RESPONSE_PROFILE] },
    ...(maValue ? { identifier: { ...(system ? { system } : {}), value: `${maValue}${REMS_IDENTIFIER_SUFFIX}` } } : {}),
    questionnaire: `${REMS_QUESTIONNAIRE_URL}|${REMS_QUESTIONNAIRE_VERSION}`,
    status: missingItems.length === 0 ? 'completed' : 'in-progress',
    ...(patient ? { subject: { reference: patient.ref } } : {}),
    ...(encounter ? { encounter: { reference: encounter.ref } } : {}),
    ...(authored ? { authored } : {}),
    ...(organization?.resource.resourceType === 'Organization' ? { author: { reference: organization.ref } } : {}),
    item: responseItems(REMS_ITEMS, answers),
  };
  return { response, missing: missingItems.map((m) => `${m.linkId}: ${m.text}`), missingItems };
}

/**
 * The Spravato REMS Patient Monitoring Form record of one esketamine dosing session.
 * @param bundle - the mapped episode Bundle (docs/conventions.md)
 * @param maFullUrl - the fullUrl (or any reference the Bundle resolves) of the session's MedicationAdministration
 * @param overrides - the clinic's safety thresholds (the post-dose BP window); defaults otherwise
 * @returns the QuestionnaireResponse and the required fields the session cannot fill
 * @throws OperationOutcomeError when the reference names no MedicationAdministration of the Bundle, or a racemic
 *   ketamine dose (the REMS is esketamine's)
 */
export function remsMonitoringResponse(bundle: Bundle, maFullUrl: string, overrides: SafetyOverrides = {}): RemsMonitoringRecord {
  const index = new BundleIndex(bundle);
  return remsRecordOf(bundle, index, esketamineDose(index, maFullUrl), safetyConfig(overrides));
}

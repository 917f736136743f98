/**
 * Reads the answers of the REMS monitoring record (rems-items.ts) from the mapped FHIR resources of one esketamine
 * dosing session (docs/conventions.md, docs/summary.md "REMS monitoring record"). Every answer is read from the
 * Bundle — never from the clinic JSON — with the safety rules' helpers (src/safety/episode-view.ts), so the record and
 * the signals agree on what "before the dose", "from the dose on" and "the medications at the dose" mean.
 */
import type {
  AdverseEvent,
  Encounter,
  HumanName,
  MedicationAdministration,
  Observation,
  Organization,
  Patient,
  QuestionnaireResponseItemAnswer,
} from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from '../safety/config.js';
import {
  bloodPressure,
  byEffectiveTime,
  doseStart,
  encounterOfDose,
  hasCoding,
  localDate,
  milligrams,
  observationsOfDose,
  oxygenSaturation,
  recordedDischargeTime,
  usable,
} from '../safety/episode-view.js';
import { latestReview } from '../safety/medication-signals.js';
import { phaseOf } from '../safety/vital-sign-signals.js';
import { CADSS6_TOTAL, KAP_OBSERVATION_CODES, MOAAS_SCORE } from '../terminology/local-codes.js';
import { SIDE_EFFECT_CODES } from '../terminology/side-effects.js';
import { ADVERSE_EVENT_SERIOUSNESS, KAP_MEDICATION_CLASS, kapExtension } from '../terminology/systems.js';
import { REMS_DOSES_MG } from './rems-items.js';

const MINUTE = 60_000;

/** The answers read from the session, by linkId (a field absent here could not be filled). */
export type RemsAnswers = Map<string, QuestionnaireResponseItemAnswer[]>;

/** The medication classes the record asks about, by linkId (`kap-medication-class` codes). */
const MEDICATION_ITEMS: readonly [string, string][] = [
  ['med-benzodiazepine', 'benzodiazepine'],
  ['med-non-benzodiazepine-sedative-hypnotic', 'non-benzodiazepine-hypnotic'],
  ['med-psychostimulant', 'psychostimulant'],
  ['med-maoi', 'maoi'],
];

/** Minutes after the dose start the label's "about 40 minutes" reading aims at. */
const POST_DOSE_TARGET_MINUTES = 40;

function set(answers: RemsAnswers, linkId: string, answer: QuestionnaireResponseItemAnswer | undefined): void {
  if (answer) {
    answers.set(linkId, [answer]);
  }
}

function nameOf(names: HumanName[] | undefined): string | undefined {
  const n = names?.find((x) => x.use === 'official') ?? names?.[0];
  if (!n) {
    return undefined;
  }
  const parts = [...(n.given ?? []), n.family].filter((p): p is string => !!p && p.trim() !== '');
  return n.text ?? (parts.length ? parts.join(' ') : undefined);
}

function patientOf(index: BundleIndex, ma: MedicationAdministration): Patient | undefined {
  const subject = index.resolve(ma.subject)?.resource;
  return subject?.resourceType === 'Patient' ? subject : index.ofType('Patient')[0]?.resource;
}

function settingOf(index: BundleIndex, encounter: Encounter | undefined): Organization | undefined {
  const provider = index.resolve(encounter?.serviceProvider)?.resource;
  return provider?.resourceType === 'Organization' ? provider : index.ofType('Organization')[0]?.resource;
}

function extensionOf(ma: MedicationAdministration, id: string): { valueString?: string; valuePositiveInt?: number } | undefined {
  return ma.extension?.find((e) => e.url === kapExtension(id));
}

function code(o: Observation, coding: { system: string; code: string }): boolean {
  return usable(o) && hasCoding(o.code.coding, coding.system, coding.code);
}

/** Session and dose: patient, setting, date, dose, devices, lot, dose start. */
function readSession(index: BundleIndex, ma: MedicationAdministration, encounter: Encounter | undefined, answers: RemsAnswers): void {
  const patient = patientOf(index, ma);
  const name = nameOf(patient?.name);
  set(answers, 'patient-name', name ? { valueString: name } : undefined);
  set(answers, 'patient-birth-date', patient?.birthDate ? { valueDate: patient.birthDate } : undefined);
  const setting = settingOf(index, encounter)?.name;
  set(answers, 'healthcare-setting', setting ? { valueString: setting } : undefined);
  const start = doseStart(ma);
  set(answers, 'session-date', start ? { valueDate: localDate(start) } : undefined);
  set(answers, 'dose-start', start ? { valueDateTime: start } : undefined);
  const mg = milligrams(ma.dosage?.dose);
  set(answers, 'dose-mg', mg !== undefined && REMS_DOSES_MG.includes(mg) ? { valueInteger: mg } : undefined);
  const devices = extensionOf(ma, 'kap-device-count')?.valuePositiveInt;
  set(answers, 'device-count', devices !== undefined ? { valueInteger: devices } : undefined);
  const lot = extensionOf(ma, 'kap-lot-number')?.valueString;
  set(answers, 'lot-number', lot ? { valueString: lot } : undefined);
}

/** The four classes, yes / no, from the latest medication review at or before the dose (none: not filled). */
function readMedications(index: BundleIndex, ma: MedicationAdministration, answers: RemsAnswers): void {
  const start = timeOf(doseStart(ma));
  const review = start === undefined ? [] : latestReview(index, start);
  if (review.length === 0) {
    return;
  }
  const current = review.filter((e) => e.resource.status === 'active');
  for (const [linkId, cls] of MEDICATION_ITEMS) {
    const taking = current.some((e) => hasCoding(e.resource.medicationCodeableConcept?.coding, KAP_MEDICATION_CLASS, cls));
    answers.set(linkId, [{ valueBoolean: taking }]);
  }
}

function setBp(answers: RemsAnswers, linkId: string, o: IndexedEntry<Observation> | undefined): void {
  const bp = o ? bloodPressure(o.resource) : undefined;
  if (!o || !bp) {
    return;
  }
  set(answers, `${linkId}-systolic`, bp.systolic !== undefined ? { valueInteger: Math.round(bp.systolic) } : undefined);
  set(answers, `${linkId}-diastolic`, bp.diastolic !== undefined ? { valueInteger: Math.round(bp.diastolic) } : undefined);
  set(answers, `${linkId}-time`, o.resource.effectiveDateTime ? { valueDateTime: o.resource.effectiveDateTime } : undefined);
}

/**
 * The three blood pressures: the last pre-dose reading; the timed reading in the esketamine window after the dose
 * start (`esketaminePostDoseBpWindowMinutes`, default 30–60 min) closest to 40 minutes; the last reading after that
 * one (or after the dose start) and at or before discharge.
 */
function readBloodPressures(
  index: BundleIndex,
  ma: IndexedEntry<MedicationAdministration>,
  discharged: number | undefined,
  config: SafetyConfig,
  answers: RemsAnswers
): void {
  const bps = byEffectiveTime(observationsOfDose(index, ma)).filter((o) => {
    const bp = bloodPressure(o.resource);
    return bp?.systolic !== undefined && bp.diastolic !== undefined;
  });
  setBp(answers, 'bp-pre-dose', bps.filter((o) => phaseOf(o.resource, ma.resource) === 'pre-dose').at(-1));
  const start = timeOf(doseStart(ma.resource));
  if (start === undefined) {
    return;
  }
  const window = config.esketaminePostDoseBpWindowMinutes;
  const target = start + POST_DOSE_TARGET_MINUTES * MINUTE;
  const around40 = bps
    .filter((o) => {
      const t = timeOf(o.resource.effectiveDateTime);
      return t !== undefined && t >= start + window.from * MINUTE && t <= start + window.to * MINUTE;
    })
    .sort((a, b) => Math.abs((timeOf(a.resource.effectiveDateTime) ?? 0) - target) - Math.abs((timeOf(b.resource.effectiveDateTime) ?? 0) - target))[0];
  setBp(answers, 'bp-post-40', around40);
  const after = around40 ? (timeOf(around40.resource.effectiveDateTime) ?? start) : start;
  const beforeDischarge = bps
    .filter((o) => {
      const t = timeOf(o.resource.effectiveDateTime);
      return t !== undefined && t > after && (discharged === undefined || t <= discharged);
    })
    .at(-1);
  setBp(answers, 'bp-pre-discharge', beforeDischarge);
}

function adverseEventsOf(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>, encounter: IndexedEntry<Encounter> | undefined): AdverseEvent[] {
  return index
    .ofType('AdverseEvent')
    .filter((e) => e.resource.actuality !== 'potential')
    .filter(
      (e) =>
        (encounter !== undefined && index.resolve(e.resource.encounter)?.ref === encounter.ref) ||
        (e.resource.suspectEntity ?? []).some((s) => index.resolve(s.instance)?.ref === ma.ref)
    )
    .map((e) => e.resource);
}

function isEffect(ae: AdverseEvent, effect: 'sedation' | 'dissociation'): boolean {
  const c = SIDE_EFFECT_CODES[effect];
  return hasCoding(ae.event?.coding, c.system, c.code);
}

/** Sedation (MOAA/S below 5 after the dose start, or a sedation side effect) and dissociation (CADSS-6 above 0, or a dissociation side effect). */
function readSedationAndDissociation(
  after: IndexedEntry<Observation>[],
  events: AdverseEvent[],
  answers: RemsAnswers
): void {
  const moaas = after.filter((o) => code(o.resource, MOAAS_SCORE)).flatMap((o) => (o.resource.valueInteger === undefined ? [] : [o.resource.valueInteger]));
  const sedationEvent = events.some((e) => isEffect(e, 'sedation'));
  const lowest = moaas.length ? Math.min(...moaas) : undefined;
  set(answers, 'moaas-lowest', lowest !== undefined ? { valueInteger: lowest } : undefined);
  if (lowest !== undefined || sedationEvent) {
    answers.set('sedation-observed', [{ valueBoolean: sedationEvent || (lowest !== undefined && lowest < 5) }]);
  }
  const cadss = after.filter((o) => code(o.resource, CADSS6_TOTAL)).flatMap((o) => (o.resource.valueInteger === undefined ? [] : [o.resource.valueInteger]));
  const dissociationEvent = events.some((e) => isEffect(e, 'dissociation'));
  const highest = cadss.length ? Math.max(...cadss) : undefined;
  set(answers, 'cadss6-total', highest !== undefined ? { valueInteger: highest } : undefined);
  if (highest !== undefined || dissociationEvent) {
    answers.set('dissociation-observed', [{ valueBoolean: dissociationEvent || (highest !== undefined && highest > 0) }]);
  }
}

/** Respiratory depression (any record of it in the session) and the lowest SpO2 from the dose start on. */
function readRespiration(all: IndexedEntry<Observation>[], after: IndexedEntry<Observation>[], answers: RemsAnswers): void {
  const records = all.filter((o) => code(o.resource, KAP_OBSERVATION_CODES.respiratoryDepression) && o.resource.valueBoolean !== undefined);
  if (records.length) {
    answers.set('respiratory-depression', [{ valueBoolean: records.some((o) => o.resource.valueBoolean === true) }]);
  }
  const spo2 = after.flatMap((o) => {
    const v = oxygenSaturation(o.resource);
    return v === undefined ? [] : [v];
  });
  set(answers, 'spo2-lowest', spo2.length ? { valueDecimal: Math.min(...spo2) } : undefined);
}

/** Total monitoring minutes (dose start to the recorded discharge), readiness time, discharge time. */
function readMonitoring(
  ma: MedicationAdministration,
  all: IndexedEntry<Observation>[],
  dischargedAt: string | undefined,
  answers: RemsAnswers
): void {
  const start = timeOf(doseStart(ma));
  const discharged = timeOf(dischargedAt);
  if (start !== undefined && discharged !== undefined && discharged >= start) {
    answers.set('monitoring-minutes', [{ valueInteger: Math.round((discharged - start) / MINUTE) }]);
  }
  const ready = byEffectiveTime(all.filter((o) => code(o.resource, KAP_OBSERVATION_CODES.dischargeReadiness) && o.resource.valueBoolean === true)).at(-1);
  set(answers, 'ready-to-leave', ready?.resource.effectiveDateTime ? { valueDateTime: ready.resource.effectiveDateTime } : undefined);
  set(answers, 'discharge-time', dischargedAt ? { valueDateTime: dischargedAt } : undefined);
}

function adverseEventText(ae: AdverseEvent): string {
  const effect = ae.event?.coding?.find((c) => c.display)?.display ?? 'Adverse event';
  const severity = ae.severity?.coding?.find((c) => c.code)?.code;
  const serious = hasCoding(ae.seriousness?.coding, ADVERSE_EVENT_SERIOUSNESS, 'serious');
  const qualifiers = [severity, serious ? 'serious' : undefined].filter((q): q is string => !!q);
  return qualifiers.length ? `${effect} (${qualifiers.join(', ')})` : effect;
}

/**
 * The answers the session can give, by linkId.
 * @param index - the episode Bundle's index
 * @param ma - the esketamine MedicationAdministration entry
 * @param config - the clinic's safety config (the post-dose BP window)
 */
export function readRemsAnswers(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>, config: SafetyConfig): RemsAnswers {
  const answers: RemsAnswers = new Map();
  const encounter = encounterOfDose(index, ma.resource);
  const dischargedAt = encounter ? recordedDischargeTime(encounter.resource) : undefined;
  readSession(index, ma.resource, encounter?.resource, answers);
  readMedications(index, ma.resource, answers);
  readBloodPressures(index, ma, timeOf(dischargedAt), config, answers);
  const all = observationsOfDose(index, ma);
  const after = all.filter((o) => phaseOf(o.resource, ma.resource) !== 'pre-dose');
  const events = adverseEventsOf(index, ma, encounter);
  readSedationAndDissociation(after, events, answers);
  readRespiration(all, after, answers);
  readMonitoring(ma.resource, all, dischargedAt, answers);
  answers.set('adverse-events-observed', [{ valueBoolean: events.length > 0 }]);
  if (events.length) {
    answers.set('adverse-event', events.map((e) => ({ valueString: adverseEventText(e) })));
  }
  return answers;
}

/**
 * `sessionView(bundle, maFullUrl)`: the SessionView of one dosing session (src/summary/session-view.ts), read only
 * from the mapped FHIR resources of the episode Bundle (the same data the EHR and the prescriber receive;
 * docs/summary.md says where each figure comes from):
 * - the dose: the MedicationAdministration (status, reason, product, route, dose, `kap-dose-per-body-weight`, lot,
 *   device count, performers), its contained Medication (form, strength) and its body weight Observation
 *   (`supportingInformation`);
 * - the session: its Encounter (period, discharge time), the Procedure `partOf` the dose (who monitored);
 * - the Observations of the dose (src/safety/episode-view.ts `observationsOfDose`): vitals, MOAA/S, CADSS-6,
 *   respiratory depression, discharge readiness, plan; the AdverseEvents of the session;
 * - the medication review: the session Encounter's MedicationStatements;
 * - the signals: the DetectedIssues about what the prescriber's Bundle of this session carries (the same choice as
 *   src/sync/prescriber-deliveries.ts, with src/sync/session-findings.ts);
 * - the scores: every PHQ-9 / GAD-7 / PCL-5 total of the episode (src/summary/read-scores.ts), `thisSession` by the
 *   session-findings window rule;
 * - the thresholds: src/safety/config.ts with the clinic's overrides.
 */
import type {
  AdverseEvent,
  Bundle,
  DetectedIssue,
  Encounter,
  Medication,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Procedure,
  Reference,
} from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { safetyConfig, type SafetyConfig, type SafetyOverrides } from '../safety/config.js';
import {
  byEffectiveTime,
  bloodPressure,
  dosingPhase,
  doseStart,
  encounterOfDose,
  hasCoding,
  heartRate,
  isEsketamine,
  milligrams,
  oxygenSaturation,
  prescriptionOf,
  recordedDischargeTime,
  respiratoryRate,
} from '../safety/episode-view.js';
import { SAFETY_SIGNAL_DISPLAY } from '../safety/signal-resources.js';
import type { SafetyRule } from '../safety/types.js';
import {
  ADVERSE_EVENT_SERIOUSNESS,
  IPS_ABSENT_UNKNOWN,
  KAP_DOSE_STATUS_REASON,
  KAP_MEDICATION_CLASS,
  KAP_OBSERVATION,
  KAP_SAFETY_SIGNAL,
  KAP_SCREENING,
  MED_ADMIN_PERFORM_FUNCTION,
} from '../terminology/systems.js';
import { displayOf, hasKapProfile, kapExtensionOf, localIdOf, nameAt, personName, quantityText } from './read-fhir.js';
import { scoreTrajectories } from './read-scores.js';
import { suicideRiskResults } from './read-suicide-risk.js';
import { sessionEntries, type SessionEntries } from './session-entries.js';
import type { ScreeningFinding, SessionView, SignalLine, SuicideRiskResult, VitalPoint, VitalThresholds } from './session-view.js';

/** Thrown when the MedicationAdministration is not in the Bundle (no PHI in the message). */
export class SessionNotFoundError extends Error {
  constructor() {
    super('the dosing session is not in the episode Bundle');
    this.name = 'SessionNotFoundError';
  }
}

/**
 * The SessionView of one dosing session of an episode Bundle.
 * @param bundle - the mapped episode Bundle (with its signals: src/pipeline/map-clinic-episode.ts)
 * @param maFullUrl - the fullUrl of the session's MedicationAdministration
 * @param safety - the clinic's safety overrides (thresholds drawn on the vitals chart); absent: the defaults
 * @returns the view
 * @throws SessionNotFoundError when no MedicationAdministration has that fullUrl
 */
export function sessionView(bundle: Bundle, maFullUrl: string, safety?: Partial<SafetyConfig>): SessionView {
  const entries = sessionEntries(bundle, maFullUrl);
  if (!entries) {
    throw new SessionNotFoundError();
  }
  const { index, ma, ofDose } = entries;
  const encounter = encounterOfDose(index, ma.resource)?.resource;
  const prescription = prescriptionOf(index, ma.resource)?.resource;
  const patient = index.ofType('Patient')[0]?.resource;
  const view: SessionView = {
    episodeId: index.ofType('EpisodeOfCare')[0]?.resource.identifier?.[0]?.value ?? '',
    sessionId: localIdOf(ma.resource) ?? '',
    clinic: { name: index.ofType('Organization')[0]?.resource.name ?? '' },
    patient: {
      name: personName(patient?.name) ?? '',
      ...(patient?.birthDate ? { birthDate: patient.birthDate } : {}),
      ...(patient?.gender ? { gender: patient.gender } : {}),
    },
    dose: doseOf(index, ma.resource),
    session: sessionTimes(encounter, ma.resource),
    careTeam: careTeamOf(index, ma, prescription),
    vitals: vitalPoints(ofDose),
    thresholds: thresholdsOf(safety),
    sideEffects: sideEffectsOf(entries),
    signals: signalsOf(entries),
    scores: scoreTrajectories(index, entries.findings, firstDoseStart(index)),
    suicideRisk: suicideRiskUpTo(suicideRiskResults(index, entries.findings), doseStart(ma.resource)),
  };
  const rx = prescription ? prescriptionView(index, prescription) : undefined;
  if (rx) {
    view.prescription = rx;
  }
  readSessionObservations(index, ofDose, view);
  const medications = medicationReview(entries);
  if (medications) {
    view.medications = medications;
  }
  const screening = screeningOf(entries);
  if (screening) {
    view.screening = screening;
  }
  return view;
}

/**
 * The C-SSRS results a session shows: those of its window (the score window rule) and of the windows before it. The
 * windows are disjoint and in time order, so a result of an earlier window was taken before this dose; one of a
 * later window after this session.
 * @param results - the episode's results, `thisSession` set by the window rule
 * @param start - the dose start
 */
export function suicideRiskUpTo(results: SuicideRiskResult[], start: string | undefined): SuicideRiskResult[] {
  const before = timeOf(start) ?? -Infinity;
  return results.filter((r) => r.thisSession || (timeOf(r.time) ?? Infinity) < before);
}

/**
 * The earliest dose start of the episode (the baseline rule's "before the first dose").
 * @param index - the episode Bundle index
 */
export function firstDoseStart(index: BundleIndex): string | undefined {
  const starts = index
    .ofType('MedicationAdministration')
    .map((e) => doseStart(e.resource))
    .filter((s): s is string => s !== undefined);
  return starts.sort((a, b) => (timeOf(a) ?? 0) - (timeOf(b) ?? 0))[0];
}

/** The dose status of the view from the MA status and reason (not-done + patient-refused = refused). */
function doseStatus(ma: MedicationAdministration): SessionView['dose']['status'] {
  if (ma.status === 'not-done') {
    const refused = (ma.statusReason ?? []).some((r) => hasCoding(r.coding, KAP_DOSE_STATUS_REASON, 'patient-refused'));
    return refused ? 'refused' : 'held';
  }
  return ma.status === 'stopped' ? 'partial' : 'given';
}

/** The contained Medication the MA references (`#med`), if any. */
function containedMedication(ma: MedicationAdministration): Medication | undefined {
  const id = ma.medicationReference?.reference?.replace(/^#/, '');
  return ma.contained?.find((c): c is Medication => c.resourceType === 'Medication' && c.id === id);
}

/**
 * Strength of a contained Medication's first ingredient: "50 mg per mL" (a UCUM unit as coded), "50 mg per lozenge
 * (troche)" (the denominator's unit text of a countable unit `1`, else the form's display, in lower case), else
 * "… per unit".
 */
export function strengthOf(med: Medication | undefined): string | undefined {
  const ratio = med?.ingredient?.[0]?.strength;
  const mg = quantityText(ratio?.numerator);
  if (!mg) {
    return undefined;
  }
  const d = ratio?.denominator;
  const countable = d?.code === undefined || d.code === '1' || /^\{.*\}$/.test(d.code);
  const named = d?.unit && d.unit !== '1' && !/^\{.*\}$/.test(d.unit) ? d.unit : undefined;
  const form = med?.form ? displayOf(med.form) : undefined;
  const per = !countable ? (d?.code ?? 'unit') : (named ?? form)?.toLowerCase() ?? 'unit';
  return `${mg} per ${per}`;
}

function doseOf(index: BundleIndex, ma: MedicationAdministration): SessionView['dose'] {
  const med = containedMedication(ma);
  const product = displayOf(ma.medicationCodeableConcept) ?? displayOf(med?.code) ?? 'ketamine';
  const form = med?.form ? displayOf(med.form) : undefined;
  const strength = strengthOf(med);
  const mg = milligrams(ma.dosage?.dose);
  const mgPerKg = kapExtensionOf(ma.dosage?.extension, 'kap-dose-per-body-weight')?.valueQuantity?.value;
  const weight = (ma.supportingInformation ?? [])
    .map((r) => index.resolve(r)?.resource)
    .find((r): r is Observation => r?.resourceType === 'Observation' && hasKapProfile(r, 'kap-body-weight'));
  const bodyWeightKg = weight?.valueQuantity?.value;
  const deviceCount = kapExtensionOf(ma.extension, 'kap-device-count')?.valuePositiveInt;
  const lot = kapExtensionOf(ma.extension, 'kap-lot-number')?.valueString;
  const status = doseStatus(ma);
  const statusReason = status === 'given' ? undefined : displayOf(ma.statusReason?.[0]);
  const end = ma.effectivePeriod?.end;
  return {
    product,
    esketamine: isEsketamine(ma),
    route: displayOf(ma.dosage?.route) ?? '',
    ...(form !== undefined ? { form } : {}),
    ...(strength !== undefined ? { strength } : {}),
    ...(mg !== undefined ? { mg } : {}),
    ...(mgPerKg !== undefined ? { mgPerKg } : {}),
    ...(bodyWeightKg !== undefined ? { bodyWeightKg } : {}),
    ...(deviceCount !== undefined ? { deviceCount } : {}),
    ...(lot !== undefined ? { lot } : {}),
    status,
    ...(statusReason !== undefined ? { statusReason } : {}),
    start: doseStart(ma) ?? '',
    ...(end !== undefined ? { end } : {}),
    selfAdministered: selfAdministered(index, ma),
  };
}

/** True when a performer with function `performer` is the Patient (how the mapping records self-administration). */
function selfAdministered(index: BundleIndex, ma: MedicationAdministration): boolean {
  return (ma.performer ?? []).some(
    (p) => hasCoding(p.function?.coding, MED_ADMIN_PERFORM_FUNCTION, 'performer') && index.resolve(p.actor)?.resource.resourceType === 'Patient'
  );
}

function sessionTimes(encounter: Encounter | undefined, ma: MedicationAdministration): SessionView['session'] {
  const discharged = encounter ? recordedDischargeTime(encounter) : undefined;
  const end = encounter?.period?.end;
  return {
    start: encounter?.period?.start ?? doseStart(ma) ?? '',
    ...(end !== undefined ? { end } : {}),
    ...(discharged !== undefined ? { dischargedAt: discharged } : {}),
  };
}

/**
 * Who administered (the Practitioner performer; for a self-administered dose the supervising witness), who monitored
 * (the performers of the Procedure `partOf` the dose, else of the session Encounter's Procedure), the prescriber (the
 * requester of the prescription).
 */
function careTeamOf(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>, rx: MedicationRequest | undefined): SessionView['careTeam'] {
  const practitioner = (ma.resource.performer ?? []).find((p) => index.resolve(p.actor)?.resource.resourceType === 'Practitioner');
  const administeredBy = nameAt(index, practitioner?.actor);
  const procedure = procedureOf(index, ma);
  const monitoredBy = (procedure?.performer ?? []).map((p) => nameAt(index, p.actor)).filter((n): n is string => n !== undefined);
  const prescriber = nameAt(index, rx?.requester);
  return {
    ...(administeredBy !== undefined ? { administeredBy } : {}),
    monitoredBy,
    ...(prescriber !== undefined ? { prescriber } : {}),
  };
}

/**
 * A prescription as the views show it: local id, prescriber, sig, dose, session count, validity.
 * @param index - the episode Bundle index
 * @param rx - the MedicationRequest
 */
export function prescriptionView(index: BundleIndex, rx: MedicationRequest): NonNullable<SessionView['prescription']> {
  const instruction = rx.dosageInstruction?.[0];
  const dose = quantityText(instruction?.doseAndRate?.[0]?.doseQuantity);
  const sessions = kapExtensionOf(rx.extension, 'kap-session-count')?.valuePositiveInt;
  const period = rx.dispenseRequest?.validityPeriod;
  const prescriber = nameAt(index, rx.requester);
  return {
    id: localIdOf(rx) ?? '',
    ...(prescriber !== undefined ? { prescriber } : {}),
    ...(instruction?.text !== undefined ? { sig: instruction.text } : {}),
    ...(dose !== undefined ? { dose } : {}),
    ...(sessions !== undefined ? { sessions } : {}),
    ...(period ? { validity: { ...(period.start ? { start: period.start } : {}), ...(period.end ? { end: period.end } : {}) } } : {}),
  };
}

/** One VitalPoint of an Observation, or undefined when it is no vital sign or sedation score. */
function vitalPoint(o: Observation): VitalPoint | undefined {
  const base = {
    id: localIdOf(o) ?? '',
    time: o.effectiveDateTime ?? '',
    ...(dosingPhase(o) ? { phase: dosingPhase(o) } : {}),
  };
  const bp = bloodPressure(o);
  if (bp) {
    return {
      ...base,
      kind: 'blood-pressure',
      ...(bp.systolic !== undefined ? { systolic: bp.systolic } : {}),
      ...(bp.diastolic !== undefined ? { diastolic: bp.diastolic } : {}),
    };
  }
  const readings: [VitalPoint['kind'], number | undefined][] = [
    ['heart-rate', heartRate(o)],
    ['respiratory-rate', respiratoryRate(o)],
    ['oxygen-saturation', oxygenSaturation(o)],
    ['sedation', hasKapProfile(o, 'kap-sedation-score') || hasCoding(o.code.coding, KAP_OBSERVATION, 'moaas') ? o.valueInteger : undefined],
  ];
  const found = readings.find(([, value]) => value !== undefined);
  return found ? { ...base, kind: found[0], value: found[1] } : undefined;
}

/** The vitals and sedation scores of the dose, in time order. */
function vitalPoints(ofDose: IndexedEntry<Observation>[]): VitalPoint[] {
  return byEffectiveTime(ofDose)
    .map((o) => vitalPoint(o.resource))
    .filter((v): v is VitalPoint => v !== undefined);
}

function thresholdsOf(safety: Partial<SafetyConfig> | undefined): VitalThresholds {
  const c = safetyConfig((safety ?? {}) as SafetyOverrides);
  return {
    systolic: c.systolicThreshold,
    diastolic: c.diastolicThreshold,
    severeSystolic: c.severeSystolicAbove,
    severeDiastolic: c.severeDiastolicAbove,
    spo2Below: c.spo2Below,
    heartRate: [c.heartRateBelow, c.heartRateAbove],
    respiratoryRate: [c.respiratoryRateBelow, c.respiratoryRateAbove],
  };
}

/** The AdverseEvents naming the dose as suspect, or of the session Encounter, in time order. */
function sideEffectsOf(entries: SessionEntries): SessionView['sideEffects'] {
  return entries.sideEffects
    .map((ref) => entries.index.resolve({ reference: ref })?.resource as AdverseEvent)
    .sort((a, b) => (timeOf(a.date) ?? -Infinity) - (timeOf(b.date) ?? -Infinity))
    .map((ae) => {
      const outcome = displayOf(ae.outcome);
      const seriousness = ae.seriousness?.coding?.find((c) => c.system === ADVERSE_EVENT_SERIOUSNESS)?.code;
      return {
        effect: ae.event?.text ?? displayOf(ae.event) ?? '',
        severity: displayOf(ae.severity) ?? '',
        ...(seriousness !== undefined ? { serious: seriousness === 'serious' } : {}),
        ...(outcome !== undefined ? { outcome } : {}),
        ...(ae.date !== undefined ? { onset: ae.date } : {}),
      };
    });
}

/** The signals (DetectedIssues) of the session, in Bundle order. */
function signalsOf(entries: SessionEntries): SignalLine[] {
  const severity = { high: 'urgent', moderate: 'attention', low: 'information' } as const;
  return entries.signals
    .map((ref) => entries.index.resolve({ reference: ref })?.resource as DetectedIssue)
    .map((d) => {
      const rule = d.code?.coding?.find((c) => c.system === KAP_SAFETY_SIGNAL)?.code ?? '';
      return {
        rule,
        display: SAFETY_SIGNAL_DISPLAY[rule as SafetyRule] ?? displayOf(d.code) ?? rule,
        severity: severity[d.severity ?? 'low'],
        detail: d.detail ?? '',
      };
    });
}

/** Dissociation, respiratory depression, discharge readiness and the plan, from the Observations of the dose. */
function readSessionObservations(index: BundleIndex, ofDose: IndexedEntry<Observation>[], view: SessionView): void {
  const find = (profile: string): Observation | undefined => ofDose.find((o) => hasKapProfile(o.resource, profile))?.resource;
  const cadss = find('kap-dissociation-score');
  if (cadss?.valueInteger !== undefined) {
    view.dissociation = { score: cadss.valueInteger, ...(cadss.effectiveDateTime ? { time: cadss.effectiveDateTime } : {}) };
  }
  const rd = find('kap-respiratory-depression');
  if (rd?.valueBoolean !== undefined) {
    view.respiratoryDepression = { observed: rd.valueBoolean, time: rd.effectiveDateTime ?? '' };
  }
  const discharge = find('kap-discharge-readiness');
  if (discharge?.valueBoolean !== undefined) {
    const transport = discharge.component?.find((c) => hasCoding(c.code.coding, KAP_OBSERVATION, 'discharge-transport'));
    view.discharge = {
      criteriaMet: discharge.valueBoolean,
      readyAt: discharge.effectiveDateTime ?? '',
      transport: displayOf(transport?.valueCodeableConcept) ?? '',
    };
  }
  const plan = find('kap-dosing-plan');
  if (plan) {
    const next = plan.component?.find((c) => hasCoding(c.code.coding, KAP_OBSERVATION, 'recommended-dose'))?.valueQuantity;
    const nextDose = quantityText(next);
    const note = plan.note?.map((n) => n.text).join('\n') || undefined;
    const author = nameAt(index, plan.performer?.[0] as Reference | undefined);
    view.plan = {
      recommendation: displayOf(plan.valueCodeableConcept) ?? '',
      ...(nextDose !== undefined ? { nextDose } : {}),
      ...(note !== undefined ? { note } : {}),
      ...(author !== undefined ? { author } : {}),
      time: plan.effectiveDateTime ?? '',
    };
  }
}

/** The session's medication review: the MedicationStatements of its Encounter (IPS no-known-medications = none). */
function medicationReview(entries: SessionEntries): SessionView['medications'] {
  const statements = entries.medications.map((ref) => entries.index.resolve({ reference: ref })?.resource as MedicationStatement);
  if (statements.length === 0) {
    return undefined;
  }
  const noneCode = (m: MedicationStatement): boolean => hasCoding(m.medicationCodeableConcept?.coding, IPS_ABSENT_UNKNOWN, 'no-known-medications');
  const items = statements
    .filter((m) => !noneCode(m))
    .map((m) => {
      const cls = m.medicationCodeableConcept?.coding?.find((c) => c.system === KAP_MEDICATION_CLASS);
      const name = m.medicationCodeableConcept?.text;
      return { class: cls?.display ?? cls?.code ?? displayOf(m.medicationCodeableConcept) ?? '', ...(name ? { name } : {}) };
    });
  return { reviewedAt: statements[0].effectiveDateTime ?? statements[0].dateAsserted ?? '', none: statements.some(noneCode), items };
}

/**
 * The session's screening: its Encounter's `kap-screening` Observations (valueBoolean true = present, false =
 * absent, a data-absent reason = unknown; `none-known` true = none known), the first one's time as `screenedAt`.
 */
function screeningOf(entries: SessionEntries): SessionView['screening'] {
  const observations = entries.screening.map((ref) => entries.index.resolve({ reference: ref })?.resource as Observation);
  if (observations.length === 0) {
    return undefined;
  }
  const noneKnown = observations.some((o) => hasCoding(o.code.coding, KAP_SCREENING, 'none-known') && o.valueBoolean === true);
  const findings: ScreeningFinding[] = observations
    .filter((o) => !hasCoding(o.code.coding, KAP_SCREENING, 'none-known'))
    .map((o) => ({
      item: displayOf(o.code) ?? '',
      result: o.valueBoolean === true ? 'present' : o.valueBoolean === false ? 'absent' : 'unknown',
    }));
  return { screenedAt: observations[0]?.effectiveDateTime ?? '', noneKnown, findings };
}

/** The Procedure of the session: `partOf` the dose, else of its Encounter. */
function procedureOf(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>): Procedure | undefined {
  const encounterRef = index.resolve(ma.resource.context)?.ref;
  const procedures = index.ofType('Procedure');
  return (
    procedures.find((p) => (p.resource.partOf ?? []).some((r) => index.resolve(r)?.ref === ma.ref)) ??
    procedures.find((p) => encounterRef !== undefined && index.resolve(p.resource.encounter)?.ref === encounterRef)
  )?.resource;
}

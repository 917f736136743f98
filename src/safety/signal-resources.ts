/**
 * A safety signal as FHIR the prescriber's system can take: a DetectedIssue (profile kap-safety-signal; code from
 * `kap-safety-signal`; severity high for urgent, moderate for attention, low for information; implicated → the
 * triggering resources) and a Communication to the prescriber (profile kap-safety-communication; status completed;
 * priority stat for urgent, urgent for attention, routine for information; about and payload.contentReference → the
 * DetectedIssue). Both carry the business identifier `signal-<rule>-<triggering id>` (docs/conventions.md), so
 * re-sending creates nothing new.
 */
import type {
  Bundle,
  BundleEntry,
  CareTeam,
  Communication,
  DetectedIssue,
  Identifier,
  MedicationRequest,
  Patient,
  Practitioner,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { transactionEntry } from '../fhir/bundle.js';
import { fullUrlFor } from '../fhir/identifiers.js';
import { episodeScopedValue, parseIdentifierValue, signalLocalId } from '../identity/record-identity.js';
import { BundleIndex, type IndexedEntry } from '../bundle-index.js';
import { KAP_CANONICAL, KAP_CARE_ROLE, KAP_SAFETY_SIGNAL, kapProfile } from '../terminology/systems.js';
import { hasCoding } from './episode-view.js';
import type { SafetyRule, SafetySignal, SignalSeverity } from './types.js';

/** Displays of `kap-safety-signal` (as published by profiles/ KapSafetySignalCS). */
export const SAFETY_SIGNAL_DISPLAY: Readonly<Record<SafetyRule, string>> = {
  'phq9-item9-positive': 'PHQ-9 item 9 positive',
  'phq9-item9-unanswered': 'PHQ-9 item 9 unanswered',
  'cssrs-high': 'C-SSRS high risk',
  'cssrs-moderate': 'C-SSRS moderate risk',
  'cssrs-low': 'C-SSRS low risk',
  'cssrs-inconsistent': 'C-SSRS answers inconsistent',
  'bp-predose-high': 'Pre-dose blood pressure high',
  'bp-predose-above-label': 'Pre-dose blood pressure above the esketamine label level',
  'bp-during-high': 'Blood pressure during the dose severely high',
  'bp-post-high': 'Blood pressure after the dose severely high',
  'bp-discharge-high': 'Discharge blood pressure high',
  'heart-rate-out-of-range': 'Heart rate out of range',
  'respiratory-rate-low': 'Respiratory rate low',
  'respiratory-rate-high': 'Respiratory rate high',
  'spo2-low': 'SpO2 low',
  'respiratory-depression': 'Respiratory depression observed',
  'dose-above-prescription': 'Dose above prescription',
  'dose-without-prescription': 'Dose without prescription',
  'route-mismatch': 'Route mismatch',
  'esketamine-dose-invalid': 'Esketamine dose not 28, 56 or 84 mg',
  'esketamine-route-invalid': 'Esketamine not given intranasally',
  'dose-per-kg-above-ceiling': 'Dose per kg above the ceiling for the route',
  'dose-per-kg-unchecked': 'Dose per kg cannot be checked: no body weight',
  'esketamine-two-doses-same-day': 'Two esketamine doses within 24 hours',
  'dose-interval-short': 'Dose interval shorter than prescribed',
  'sessions-exceed-prescription': 'More doses than prescribed sessions',
  'contraindication-pregnancy': 'Dose given in pregnancy',
  'contraindication-vascular': 'Dose given with aneurysmal vascular disease, AVM or intracerebral haemorrhage history',
  'contraindication-hypersensitivity': 'Dose given with hypersensitivity to ketamine or esketamine',
  'precaution-uncontrolled-hypertension': 'Dose given with uncontrolled hypertension',
  'precaution-psychosis-history': 'Dose given with a history of psychosis or mania',
  'precaution-substance-use': 'Dose given with a substance use disorder',
  'interaction-bp': 'Interaction: MAOI or psychostimulant (blood pressure)',
  'interaction-sedation': 'Interaction: CNS depressant (sedation)',
  'interaction-blunted-response': 'Interaction: lamotrigine or benzodiazepine (blunted response)',
  'medication-review-missing': 'Medication review missing',
  'side-effect-severe': 'Severe side effect',
  'side-effect-serious': 'Serious adverse event',
  'side-effect-moderate': 'Moderate side effect',
  'esketamine-early-discharge': 'Esketamine early discharge',
  'esketamine-bp-missing': 'Esketamine BP missing',
  'monitoring-bp-missing': 'Required blood pressure missing',
  'monitoring-spo2-missing': 'Pulse oximetry missing',
  'monitoring-heart-rate-missing': 'Heart rate monitoring missing',
  'monitoring-respiratory-rate-missing': 'Respiratory rate monitoring missing',
  'observation-too-short': 'Observation after the dose too short',
  'discharge-time-missing': 'Discharge time missing',
  'discharge-criteria-not-met': 'Discharge criteria not met',
  'discharge-drove-self': 'Patient drove home',
  'rems-form-incomplete': 'Spravato REMS monitoring record incomplete',
  'moaas-zero': 'MOAA/S zero',
};

/** Fixed detail text per rule (no value from the record). */
const DETAIL: Readonly<Record<SafetyRule, string>> = {
  'phq9-item9-positive': 'PHQ-9 item 9 (thoughts of death or self-harm) endorsed: same-day risk assessment needed.',
  'phq9-item9-unanswered': 'PHQ-9 item 9 (thoughts of death or self-harm) left unanswered: ask it.',
  'cssrs-high': 'C-SSRS screener at high risk (intent, plan or recent behaviour).',
  'cssrs-moderate': 'C-SSRS screener at moderate risk.',
  'cssrs-low': 'C-SSRS screener at low risk.',
  'cssrs-inconsistent': 'C-SSRS answers contradict each other: review the screener with the patient.',
  'bp-predose-high': 'Pre-dose blood pressure at or above the dosing threshold, and the dose was given.',
  'bp-predose-above-label': 'Pre-dose blood pressure above 140/90 (the Spravato label: consider delaying), and esketamine was given.',
  'bp-during-high': 'Blood pressure during the dose above the severe threshold (ACC/AHA 2017: above 180/120).',
  'bp-post-high': 'Blood pressure after the dose above the severe threshold (ACC/AHA 2017: above 180/120).',
  'bp-discharge-high': 'Blood pressure at discharge at or above the threshold.',
  'heart-rate-out-of-range': 'Heart rate outside the clinic range.',
  'respiratory-rate-low': 'Respiratory rate below the clinic range.',
  'respiratory-rate-high': 'Respiratory rate above the clinic range.',
  'spo2-low': 'Oxygen saturation below the threshold.',
  'respiratory-depression': 'Respiratory depression observed during the session.',
  'dose-above-prescription': 'Dose given exceeds the prescribed dose.',
  'dose-without-prescription': 'Dose given without an active prescription.',
  'route-mismatch': 'Route given differs from the prescribed route.',
  'esketamine-dose-invalid': 'Esketamine dose other than 28, 56 or 84 mg (Spravato label).',
  'esketamine-route-invalid': 'Esketamine given by a route other than intranasal (Spravato label).',
  'dose-per-kg-above-ceiling': 'Racemic ketamine dose per kg of body weight above the clinic ceiling for the route.',
  'dose-per-kg-unchecked': 'Racemic ketamine dose in mg with no body weight recorded: the dose per kg cannot be checked against the ceiling for the route.',
  'esketamine-two-doses-same-day': 'A second esketamine dose less than 24 hours after the previous one.',
  'dose-interval-short': 'Dose given sooner after the previous one than the prescription allows.',
  'sessions-exceed-prescription': 'More doses given than the prescription has sessions.',
  'contraindication-pregnancy': 'Dose given while pregnancy was recorded as present, or pregnancy found after the dose (a possible exposure in pregnancy).',
  'contraindication-vascular': 'Dose given with aneurysmal vascular disease, arteriovenous malformation or intracerebral haemorrhage history recorded (contraindications in the Spravato label).',
  'contraindication-hypersensitivity': 'Dose given with hypersensitivity to ketamine or esketamine recorded.',
  'precaution-uncontrolled-hypertension': 'Dose given with uncontrolled hypertension recorded (ketamine raises blood pressure).',
  'precaution-psychosis-history': 'Dose given with a history of psychosis or mania recorded.',
  'precaution-substance-use': 'Dose given with a substance use disorder recorded.',
  'interaction-bp': 'An MAOI or a psychostimulant is a current medication: blood pressure may rise further (Spravato label).',
  'interaction-sedation': 'A benzodiazepine, hypnotic, opioid or other CNS depressant is a current medication: sedation may increase (Spravato label).',
  'interaction-blunted-response': 'Lamotrigine or a benzodiazepine is a current medication: the response may be blunted.',
  'medication-review-missing': 'Dose given with no medication review where one is required: in its own session for esketamine (Spravato REMS), else at or before it.',
  'side-effect-severe': 'Side effect recorded as severe.',
  'side-effect-serious': 'Adverse event recorded as serious.',
  'side-effect-moderate': 'Side effect recorded as moderate.',
  'esketamine-early-discharge': 'Discharge less than 2 hours after the start of an esketamine dose (Spravato REMS).',
  'esketamine-bp-missing': 'A blood pressure the Spravato label asks for is missing: before the dose, about 40 minutes after it, or before discharge.',
  'monitoring-bp-missing': 'Fewer blood pressure readings than the clinic requires for this route.',
  'monitoring-spo2-missing': 'No pulse oximetry reading from the dose start on.',
  'monitoring-heart-rate-missing': 'Fewer heart rate readings from the dose start on than the clinic requires for this route.',
  'monitoring-respiratory-rate-missing': 'Fewer respiratory rate readings from the dose start on than the clinic requires for this route.',
  'observation-too-short': 'Discharge sooner after the dose than the clinic requires for this route.',
  'discharge-time-missing': 'The dosing session ended without a discharge time.',
  'discharge-criteria-not-met': 'Discharge criteria recorded as not met.',
  'discharge-drove-self': 'The patient drove home after the dose (the Spravato label: no driving until the next day).',
  'rems-form-incomplete':
    'The Spravato REMS patient monitoring record of this esketamine session misses a required field: its REMS record names which.',
  'moaas-zero': 'MOAA/S score 0 (loss of consciousness).',
};

/** DetectedIssue.severity of each signal severity. */
const ISSUE_SEVERITY: Readonly<Record<SignalSeverity, NonNullable<DetectedIssue['severity']>>> = {
  urgent: 'high',
  attention: 'moderate',
  information: 'low',
};

/** Communication.priority of each signal severity. */
const PRIORITY: Readonly<Record<SignalSeverity, NonNullable<Communication['priority']>>> = {
  urgent: 'stat',
  attention: 'urgent',
  information: 'routine',
};

/** The DetectedIssue and Communication of one signal. */
export interface SignalResources {
  detectedIssue: DetectedIssue;
  communication: Communication;
}

/** The business identifier system of the episode: Bundle.identifier.system, else the Patient's first identifier's. */
export function clinicSystemOf(bundle: Bundle, index: BundleIndex = new BundleIndex(bundle)): string | undefined {
  const fromBundle = bundle.identifier?.system;
  if (fromBundle?.startsWith(`${KAP_CANONICAL}/clinic/`)) {
    return fromBundle;
  }
  return index.ofType('Patient')[0]?.resource.identifier?.[0]?.system;
}

function identifierValue(entry: IndexedEntry | undefined): string {
  const r = entry?.resource as (Resource & { identifier?: Identifier | Identifier[] }) | undefined;
  const ids = r?.identifier === undefined ? [] : Array.isArray(r.identifier) ? r.identifier : [r.identifier];
  return ids[0]?.value ?? entry?.ref.replace(/^urn:uuid:/, '') ?? 'unknown';
}

/**
 * The business identifier value of a signal, scoped by its episode like every record of an episode
 * (src/identity/record-identity.ts): `<episodeId>/signal-<rule>-<local id of the primary triggering record>`.
 * The episode is the trigger's; a trigger from elsewhere (no episode-scoped identifier) takes the
 * Bundle's EpisodeOfCare.
 */
export function signalIdentifierValue(signal: SafetySignal, index: BundleIndex): string {
  const trigger = parseIdentifierValue(identifierValue(index.resolve(signal.resources[0])));
  const episodeId = trigger.episodeId ?? index.ofType('EpisodeOfCare')[0]?.resource.identifier?.[0]?.value;
  const local = signalLocalId(signal.rule, trigger.localId);
  return episodeId ? episodeScopedValue(episodeId, local) : local;
}

function timeOfEntry(entry: IndexedEntry | undefined): string | undefined {
  const r = entry?.resource;
  switch (r?.resourceType) {
    case 'Observation':
      return r.effectiveDateTime ?? r.effectivePeriod?.start;
    case 'MedicationAdministration':
      return r.effectiveDateTime ?? r.effectivePeriod?.start;
    case 'QuestionnaireResponse':
      return r.authored;
    case 'AdverseEvent':
      return r.date;
    case 'Encounter':
      return r.period?.start;
    default:
      return undefined;
  }
}

function patientOf(index: BundleIndex, entry: IndexedEntry | undefined): Reference<Patient> | undefined {
  const patient = index.ofType('Patient')[0];
  if (patient) {
    return { reference: patient.ref };
  }
  const subject = (entry?.resource as { subject?: Reference } | undefined)?.subject;
  return subject?.reference?.startsWith('Patient/') ? (subject as Reference<Patient>) : undefined;
}

/**
 * The prescriber to notify: the requester of a triggering MedicationRequest, else of the MedicationRequest behind a
 * triggering MedicationAdministration, else of the first MedicationRequest in the episode, else the CareTeam member
 * with the `prescriber` role.
 */
export function prescriberOf(index: BundleIndex, signal: SafetySignal): Reference<Practitioner> | undefined {
  const requests: MedicationRequest[] = [];
  for (const ref of signal.resources) {
    const r = index.resolve(ref)?.resource;
    if (r?.resourceType === 'MedicationRequest') {
      requests.push(r);
    } else if (r?.resourceType === 'MedicationAdministration') {
      const mr = index.resolve(r.request)?.resource;
      if (mr?.resourceType === 'MedicationRequest') {
        requests.push(mr);
      }
    }
  }
  requests.push(...index.ofType('MedicationRequest').map((e) => e.resource));
  const requester = requests.find((mr) => mr.requester?.reference)?.requester;
  if (requester) {
    return { reference: requester.reference };
  }
  const team: CareTeam | undefined = index.ofType('CareTeam')[0]?.resource;
  const member = team?.participant?.find((p) => (p.role ?? []).some((r) => hasCoding(r.coding, KAP_CARE_ROLE, 'prescriber')))
    ?.member;
  return member?.reference ? { reference: member.reference } : undefined;
}

/**
 * The DetectedIssue and Communication of a signal.
 * @param signal - the signal
 * @param bundle - the episode Bundle it was detected in
 * @param index - optional index of the Bundle (reused across signals)
 */
export function toSignalResources(signal: SafetySignal, bundle: Bundle, index: BundleIndex = new BundleIndex(bundle)): SignalResources {
  const system = clinicSystemOf(bundle, index);
  const value = signalIdentifierValue(signal, index);
  const identifier: Identifier[] = system ? [{ system, value }] : [{ value }];
  const primary = index.resolve(signal.resources[0]);
  const patient = patientOf(index, primary);
  const when = timeOfEntry(primary);
  const detectedIssue: DetectedIssue = {
    resourceType: 'DetectedIssue',
    meta: { profile: [kapProfile('kap-safety-signal')] },
    identifier,
    status: 'final',
    code: { coding: [{ system: KAP_SAFETY_SIGNAL, code: signal.rule, display: SAFETY_SIGNAL_DISPLAY[signal.rule] }] },
    severity: ISSUE_SEVERITY[signal.severity],
    ...(patient ? { patient } : {}),
    ...(when ? { identifiedDateTime: when } : {}),
    implicated: signal.resources.map((reference) => ({ reference })),
    detail: DETAIL[signal.rule],
  };
  const issueRef = fullUrlFor('DetectedIssue', system ?? '', value);
  const recipient = prescriberOf(index, signal);
  const sender = index.ofType('Organization')[0];
  const communication: Communication = {
    resourceType: 'Communication',
    meta: { profile: [kapProfile('kap-safety-communication')] },
    identifier: identifier.map((i) => ({ ...i })),
    status: 'completed',
    priority: PRIORITY[signal.severity],
    ...(patient ? { subject: patient } : {}),
    about: [{ reference: issueRef }],
    ...(recipient ? { recipient: [recipient] } : {}),
    ...(sender ? { sender: { reference: sender.ref } } : {}),
    payload: [{ contentReference: { reference: issueRef } }],
  };
  return { detectedIssue, communication };
}

/**
 * Transaction Bundle entries for signals (DetectedIssue first, then its Communication): deterministic `urn:uuid`
 * fullUrls and conditional `PUT Type?identifier=system|value` (docs/conventions.md). Needs the clinic identifier
 * system (Bundle.identifier or the Patient's); without it, returns no entries.
 * @param bundle - the episode Bundle
 * @param signals - its signals (detectSignals)
 */
export function signalEntries(bundle: Bundle, signals: readonly SafetySignal[]): BundleEntry[] {
  const index = new BundleIndex(bundle);
  const system = clinicSystemOf(bundle, index);
  if (!system) {
    return [];
  }
  const entries: BundleEntry[] = [];
  for (const signal of signals) {
    const { detectedIssue, communication } = toSignalResources(signal, bundle, index);
    entries.push(transactionEntry(detectedIssue), transactionEntry(communication));
  }
  return entries;
}

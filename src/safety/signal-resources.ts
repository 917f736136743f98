/**
 * A safety signal as FHIR the prescriber's system can take: a DetectedIssue (profile kap-safety-signal; code from
 * `kap-safety-signal`; severity high for urgent, moderate for attention; implicated → the triggering resources) and
 * a Communication to the prescriber (profile kap-safety-communication; status completed; priority stat for urgent,
 * urgent for attention; about and payload.contentReference → the DetectedIssue). Both carry the business identifier
 * `signal-<rule>-<triggering id>` (docs/conventions.md), so re-sending creates nothing new.
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
import type { SafetyRule, SafetySignal } from './types.js';

/** Displays of `kap-safety-signal` (as published by profiles/ KapSafetySignalCS). */
export const SAFETY_SIGNAL_DISPLAY: Readonly<Record<SafetyRule, string>> = {
  'phq9-item9-positive': 'PHQ-9 item 9 positive',
  'cssrs-high': 'C-SSRS high risk',
  'cssrs-moderate': 'C-SSRS moderate risk',
  'cssrs-low': 'C-SSRS low risk',
  'bp-predose-high': 'Pre-dose blood pressure high',
  'bp-discharge-high': 'Discharge blood pressure high',
  'spo2-low': 'SpO2 low',
  'dose-above-prescription': 'Dose above prescription',
  'dose-without-prescription': 'Dose without prescription',
  'route-mismatch': 'Route mismatch',
  'side-effect-severe': 'Severe side effect',
  'side-effect-moderate': 'Moderate side effect',
  'esketamine-early-discharge': 'Esketamine early discharge',
  'esketamine-bp-missing': 'Esketamine BP missing',
  'moaas-zero': 'MOAA/S zero',
};

/** Fixed detail text per rule (no value from the record). */
const DETAIL: Readonly<Record<SafetyRule, string>> = {
  'phq9-item9-positive': 'PHQ-9 item 9 (thoughts of death or self-harm) endorsed: same-day risk assessment needed.',
  'cssrs-high': 'C-SSRS screener at high risk (intent, plan or recent behaviour).',
  'cssrs-moderate': 'C-SSRS screener at moderate risk.',
  'cssrs-low': 'C-SSRS screener at low risk.',
  'bp-predose-high': 'Pre-dose blood pressure at or above the dosing threshold, and the dose was given.',
  'bp-discharge-high': 'Blood pressure at discharge at or above the threshold.',
  'spo2-low': 'Oxygen saturation below the threshold.',
  'dose-above-prescription': 'Dose given exceeds the prescribed dose.',
  'dose-without-prescription': 'Dose given without an active prescription.',
  'route-mismatch': 'Route given differs from the prescribed route.',
  'side-effect-severe': 'Side effect recorded as severe.',
  'side-effect-moderate': 'Side effect recorded as moderate.',
  'esketamine-early-discharge': 'Discharge less than 2 hours after an esketamine dose (Spravato REMS).',
  'esketamine-bp-missing': 'No blood pressure before the esketamine dose, or none about 40 minutes after it.',
  'moaas-zero': 'MOAA/S score 0 (loss of consciousness).',
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
    severity: signal.severity === 'urgent' ? 'high' : 'moderate',
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
    priority: signal.severity === 'urgent' ? 'stat' : 'urgent',
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

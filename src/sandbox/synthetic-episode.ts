/**
 * Synthetic KAP episode Bundles in the shape docs/conventions.md fixes for the mapping (transaction,
 * `urn:uuid` fullUrls from a deterministic hash, conditional `PUT Type?identifier=`, `kap-source-version`
 * on EpisodeOfCare, `episode-<id>-v<version>` Bundle identifier, meta.profile). For the sandbox,
 * tests and the benchmark while (and besides) the real mapping's examples; plainly fictional data.
 */
import { transactionEntry } from '../fhir/bundle.js';
import { fullUrlFor } from '../fhir/identifiers.js';
import { provenanceKey } from '../fhir/provenance.js';
import { identifierValue } from '../identity/record-identity.js';
import type { Bundle, BundleEntry, Reference, Resource, ResourceType } from '@medplum/fhirtypes';
import type { EpisodeSubmission } from '../../queues/sync-engine.js';
import {
  clinicIdentifierSystem,

  kapExtension,
  kapProfile,
  LOINC,
  NPI,
  OBSERVATION_CATEGORY,
  RXNORM,
  SNOMED,
  UCUM,
  V3_DATA_OPERATION,
} from '../terminology/systems.js';

/** Options of {@link syntheticEpisode}. */
export interface SyntheticEpisodeOptions {
  clinicId: string;
  episodeId: string;
  version?: number;
  /** Number of dosing sessions (default 1). */
  dosingSessions?: number;
  /** Patient id (default `pat-<episodeId>`). */
  patientId?: string;
  /** Prescriber's NPI (fictional; default 1234567893). */
  prescriberNpi?: string;
  /** Heart rate value in the first session (lets tests tell versions apart). */
  heartRate?: number;
}

/**
 * Builds a synthetic episode transaction Bundle.
 * @param o - options
 * @returns the Bundle
 */
export function syntheticEpisode(o: SyntheticEpisodeOptions): Bundle {
  const system = clinicIdentifierSystem(o.clinicId);
  const version = o.version ?? 1;
  const entries: { rank: number; value: string; entry: BundleEntry }[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped on purpose: one builder for every target type
  const ref = (type: string, localId: string): Reference<any> => ({
    reference: fullUrlFor(type as ResourceType, system, identifierValue(type as ResourceType, o.episodeId, localId)),
  });
  const add = (rank: number, localId: string, resource: Resource, profile?: string): Reference<any> => {
    const type = resource.resourceType;
    // scoped like the mapping's (src/identity/record-identity.ts): episode records carry `<episode>/<id>`
    const value = identifierValue(type, o.episodeId, localId);
    const r = { ...resource, identifier: [{ system, value }] } as Resource & { identifier: unknown };
    if (type === 'AdverseEvent') {
      (r as { identifier: unknown }).identifier = { system, value };
    }
    if (profile) {
      r.meta = { profile: [kapProfile(profile)] };
    }
    entries.push({
      rank,
      value,
      entry: transactionEntry(r as Resource),
    });
    return ref(type, localId);
  };
  const patientId = o.patientId ?? `pat-${o.episodeId}`;
  const org = add(0, `org-${o.clinicId}`, { resourceType: 'Organization', name: 'Example KAP Clinic' });
  const prescriber = add(1, `prac-rx-${o.episodeId}`, {
    resourceType: 'Practitioner',
    name: [{ family: 'Prescriber', given: ['Example'] }],
  });
  const prescriberEntry = entries[entries.length - 1].entry.resource as { identifier: { system: string; value: string }[] };
  prescriberEntry.identifier.push({ system: NPI, value: o.prescriberNpi ?? '1234567893' });
  const patient = add(2, patientId, {
    resourceType: 'Patient',
    name: [{ family: 'Testperson', given: ['Fictional'] }],
    gender: 'other',
    birthDate: '1980-01-01',
  }, 'kap-patient');
  const condition = add(4, `cond-${o.episodeId}`, {
    resourceType: 'Condition',
    subject: patient,
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F33.2' }] },
  }, 'kap-condition');
  const episode = add(5, o.episodeId, {
    resourceType: 'EpisodeOfCare',
    status: 'active',
    patient,
    managingOrganization: org,
    diagnosis: [{ condition }],
    extension: [{ url: kapExtension('kap-source-version'), valueInteger: version }],
  }, 'kap-episode');
  const rx = add(6, `rx-${o.episodeId}`, {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: patient,
    requester: prescriber,
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '6130' }] },
  }, 'kap-ketamine-prescription');
  const qr = add(10, `qr-${o.episodeId}-phq9`, {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    subject: patient,
    authored: '2026-01-05T10:00:00Z',
  }, 'kap-questionnaire-response');
  add(11, `obs-${o.episodeId}-phq9`, {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey' }] }],
    code: { coding: [{ system: LOINC, code: '44261-6' }] },
    subject: patient,
    valueInteger: 14,
    derivedFrom: [qr],
    effectiveDateTime: '2026-01-05T10:00:00Z',
  }, 'kap-instrument-score');
  for (let i = 1; i <= (o.dosingSessions ?? 1); i++) {
    const sid = `${o.episodeId}-s${i}`;
    const enc = add(7, `enc-${sid}`, {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: patient,
      episodeOfCare: [episode],
      serviceProvider: org,
    }, 'kap-session-encounter');
    const weight = ref('Observation', `${sid}-weight`);
    const ma = add(8, sid, {
      resourceType: 'MedicationAdministration',
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '6130' }] },
      subject: patient,
      context: enc,
      request: rx,
      effectiveDateTime: `2026-01-${String(5 + i).padStart(2, '0')}T10:00:00Z`,
      supportingInformation: [weight],
      dosage: { dose: { value: 35, unit: 'mg', system: UCUM, code: 'mg' } },
    }, 'kap-ketamine-administration');
    add(11, `${sid}-weight`, {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code: '29463-7' }] },
      subject: patient,
      encounter: enc,
      partOf: [ma],
      valueQuantity: { value: 70, unit: 'kg', system: UCUM, code: 'kg' },
    }, 'kap-body-weight');
    add(11, `${sid}-hr-pre`, {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      subject: patient,
      encounter: enc,
      partOf: [ma],
      valueQuantity: { value: i === 1 ? (o.heartRate ?? 72) : 70, unit: '/min', system: UCUM, code: '/min' },
      extension: [{ url: kapExtension('kap-dosing-phase'), valueCode: 'pre-dose' }],
    }, 'kap-heart-rate');
    add(12, `${sid}-se-1`, {
      resourceType: 'AdverseEvent',
      actuality: 'actual',
      subject: patient,
      encounter: enc,
      event: { coding: [{ system: SNOMED, code: '422587007' }] },
      suspectEntity: [{ instance: ma }],
    }, 'kap-side-effect');
  }
  entries.sort((a, b) => a.rank - b.rank || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const targets = entries.map((e) => ({ reference: e.entry.fullUrl }));
  // R4 Provenance has no identifier: keyed by a tag, as the mapping's (src/fhir/provenance.ts).
  const provTag = `episode-${o.episodeId}-v${version}`;
  entries.push({
    rank: 15,
    value: provTag,
    entry: transactionEntry({
      resourceType: 'Provenance',
      meta: { tag: [provenanceKey(o.clinicId, provTag)] },
      target: targets,
      recorded: '2026-01-10T00:00:00Z',
      agent: [{ who: org }],
      activity: { coding: [{ system: V3_DATA_OPERATION, code: 'UPDATE' }] },
    }),
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    identifier: { system, value: `episode-${o.episodeId}-v${version}` },
    entry: entries.map((e) => e.entry),
  };
}


/**
 * A synthetic episode as the sync engine takes it: the Bundle with its clinic, episode id and version.
 * @param o - options
 */
export function syntheticSubmission(o: SyntheticEpisodeOptions): EpisodeSubmission {
  return { clinicId: o.clinicId, episodeId: o.episodeId, version: o.version ?? 1, bundle: syntheticEpisode(o) };
}

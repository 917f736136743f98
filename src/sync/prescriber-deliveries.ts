/**
 * What the prescriber of a dosing session receives (queues/prescriber-delivery.ts): one transaction Bundle
 * per dosing session, cut from the episode Bundle (docs/sync.md).
 */
import type { Bundle, Identifier, Provenance, Reference } from '@medplum/fhirtypes';
import { transactionEntry } from '../fhir/bundle.js';
import { clinicIdentifierValue } from '../fhir/identifiers.js';
import { provenanceKey } from '../fhir/provenance.js';
import { dosingRecordId, parseIdentifierValue, payloadName } from '../identity/record-identity.js';
import { PROVENANCE_ACTIVITY_UPDATE } from '../terminology/local-codes.js';
import { clinicIdentifierSystem, NPI } from '../terminology/systems.js';
import { reachableEntries } from './entry-references.js';
import { sessionFindings } from './session-findings.js';

/** The episode a Bundle belongs to (handed to the engine with it, never read out of it). */
export interface EpisodeInfo {
  episodeId: string;
  version: number;
}

/** What the prescriber of one dosing session receives. */
export interface PrescriberDelivery {
  /** The dosing session's id in its episode. */
  sessionId: string;
  /** The delivery record id: episode + session (src/identity/record-identity.ts). */
  recordId: string;
  /** Identifiers of the prescribing Practitioner (NPI, clinic id). */
  prescriber: { npi?: string; practitionerId?: string };
  bundle: Bundle;
}

const refOf = (r: Reference | undefined): string | undefined => r?.reference;

/**
 * Cuts one Bundle per dosing session for the prescriber of its prescription: the
 * MedicationAdministration (given, held or partly given, with its status reason), the Observations
 * that are `partOf` it (vitals, sedation, dissociation, discharge readiness, the plan), the AdverseEvents
 * that name it as suspect, the session's own scores by time window with the change from baseline so far,
 * its medication review and screening, and the signals about any of these (src/sync/session-findings.ts),
 * with everything they reference (Patient, Encounter, MedicationRequest, Practitioner …) and a Provenance. Conditional PUTs and `urn:uuid` references, as the episode Bundle.
 * @param bundle - the episode Bundle
 * @param clinicId - the clinic
 * @param info - episode id and version
 * @returns one delivery per MedicationAdministration with a clinic identifier
 */
export function prescriberDeliveries(bundle: Bundle, clinicId: string, info: EpisodeInfo): PrescriberDelivery[] {
  const entries = bundle.entry ?? [];
  const byUrl = new Map(entries.map((e) => [e.fullUrl, e.resource]));
  const out: PrescriberDelivery[] = [];
  for (const maEntry of entries) {
    const ma = maEntry.resource;
    if (ma?.resourceType !== 'MedicationAdministration' || !maEntry.fullUrl) {
      continue;
    }
    const maValue = clinicIdentifierValue(ma, clinicId);
    if (!maValue) {
      continue;
    }
    const sessionId = parseIdentifierValue(maValue).localId;
    const recordId = dosingRecordId(info.episodeId, sessionId);
    const maUrl = maEntry.fullUrl;
    const roots = [maUrl];
    for (const e of entries) {
      const r = e.resource;
      if (!r || !e.fullUrl) {
        continue;
      }
      const partOfMa = r.resourceType === 'Observation' && r.partOf?.some((p) => p.reference === maUrl);
      const suspect = r.resourceType === 'AdverseEvent' && r.suspectEntity?.some((s) => s.instance?.reference === maUrl);
      if (partOfMa || suspect) {
        roots.push(e.fullUrl);
      }
    }
    roots.push(...sessionFindings(bundle, maUrl, roots));
    const mr = byUrl.get(refOf(ma.request));
    const practitioner = mr?.resourceType === 'MedicationRequest' ? byUrl.get(refOf(mr.requester)) : undefined;
    const ids = (practitioner as { identifier?: Identifier[] } | undefined)?.identifier ?? [];
    const picked = reachableEntries(entries, roots).filter((e) => e.resource?.resourceType !== 'Provenance');
    const organization = entries.find((e) => e.resource?.resourceType === 'Organization')?.fullUrl;
    const provenance: Provenance = {
      resourceType: 'Provenance',
      meta: { tag: [provenanceKey(clinicId, `prov-${payloadName('dosing', recordId, info.version)}`)] },
      target: picked.map((e) => ({ reference: e.fullUrl })),
      recorded: ma.effectiveDateTime ?? ma.effectivePeriod?.end ?? ma.effectivePeriod?.start ?? '1970-01-01T00:00:00Z',
      activity: { coding: [{ system: PROVENANCE_ACTIVITY_UPDATE.system, code: PROVENANCE_ACTIVITY_UPDATE.code }] },
      agent: [{ who: organization ? { reference: organization } : { display: 'kap-fhir' } }],
    };
    out.push({
      sessionId,
      recordId,
      prescriber: {
        npi: ids.find((i) => i.system === NPI)?.value,
        practitionerId: ids.find((i) => i.system === clinicIdentifierSystem(clinicId))?.value,
      },
      bundle: {
        resourceType: 'Bundle',
        type: 'transaction',
        identifier: { system: clinicIdentifierSystem(clinicId), value: payloadName('dosing', recordId, info.version) },
        entry: [...picked, transactionEntry(provenance)],
      },
    });
  }
  return out;
}

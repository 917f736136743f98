/**
 * What the alerts queue sends (queues/alerts.ts): one transaction Bundle per safety signal
 * (DetectedIssue + Communication, from src/safety), with what they reference in the episode Bundle.
 */
import type { Bundle, BundleEntry, Communication, Resource } from '@medplum/fhirtypes';
import { conditionalUrl } from '../fhir/bundle.js';
import { clinicIdentifierValue, fullUrlFor } from '../fhir/identifiers.js';
import { parseIdentifierValue, signalRecordId } from '../identity/record-identity.js';
import { badRequest, OperationOutcomeError } from '../outcomes.js';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import { reachableEntries, referencesOf } from './entry-references.js';

/** A safety-signal Bundle ready for the alerts queue. */
export interface SignalDelivery {
  /** The delivery record id: episode + the signal's local id (src/identity/record-identity.ts). */
  recordId: string;
  /** BullMQ priority (1 = highest): DetectedIssue.severity high → 1, moderate → 2, else 3. */
  priority: number;
  bundle: Bundle;
}

/** True for a list of resources (not a Bundle): `Array.isArray` does not narrow a readonly array. */
function isResourceList(signals: Bundle | readonly Resource[]): signals is readonly Resource[] {
  return Array.isArray(signals);
}

/**
 * Builds the alert Bundle(s) from safety signals (DetectedIssue + Communication, from src/safety):
 * one per DetectedIssue, with the Communications about it and everything they reference that the
 * optional episode Bundle holds. Entries keep (or get) conditional PUTs on their clinic identifier.
 * @param signals - a Bundle of signals or the resources
 * @param clinicId - the clinic
 * @param episodeId - the episode the signals were detected in (for a signal identifier without episode scope)
 * @param episode - the episode Bundle the references point into (optional)
 * @returns one delivery per DetectedIssue
 * @throws OperationOutcomeError when a signal has no clinic identifier
 */
export function signalDeliveries(
  signals: Bundle | readonly Resource[],
  clinicId: string,
  episodeId: string,
  episode?: Bundle
): SignalDelivery[] {
  const system = clinicIdentifierSystem(clinicId);
  // Resources given alone keep the fullUrl and request they have in the episode Bundle (same object,
  // or same type and clinic identifier), so references between them and into the episode still match.
  const inEpisode = (r: Resource): BundleEntry | undefined => {
    const value = clinicIdentifierValue(r, clinicId);
    return episode?.entry?.find(
      (e) => e.resource === r || (e.resource?.resourceType === r.resourceType && value !== undefined && clinicIdentifierValue(e.resource, clinicId) === value)
    );
  };
  const given: BundleEntry[] = isResourceList(signals)
    ? signals.map((r) => {
        const e = inEpisode(r);
        return { fullUrl: e?.fullUrl, resource: r, request: e?.request };
      })
    : (signals.entry ?? []);
  const normalized: BundleEntry[] = given.map((e) => {
    const r = e.resource as Resource;
    const value = clinicIdentifierValue(r, clinicId);
    if (!value) {
      throw new OperationOutcomeError(badRequest('Signal without the clinic identifier', `${r?.resourceType}.identifier`));
    }
    return {
      fullUrl: e.fullUrl ?? fullUrlFor(r.resourceType, system, value),
      resource: r,
      request: e.request ?? { method: 'PUT', url: conditionalUrl(r.resourceType, { param: 'identifier', system, value }) },
    };
  });
  const signalUrls = new Set(normalized.map((n) => n.fullUrl as string));
  const context = [...normalized, ...(episode?.entry ?? []).filter((e) => !signalUrls.has(e.fullUrl as string))];
  // Each Communication's references, walked once: a per-signal walk made an episode with a hundred
  // signals hold the event loop for seconds (test/security/event-loop).
  const communications = normalized
    .filter((c) => c.resource?.resourceType === 'Communication')
    .map((c) => ({ entry: c, refs: new Set(referencesOf(c.resource)) }));
  const issueUrls = new Set(normalized.filter((d) => d.resource?.resourceType === 'DetectedIssue').map((d) => d.fullUrl as string));
  // Communications about no DetectedIssue of these signals go with every one of them.
  const loose = communications.filter((c) => ![...c.refs].some((ref) => issueUrls.has(ref))).map((c) => c.entry);
  const out: SignalDelivery[] = [];
  for (const e of normalized) {
    const r = e.resource;
    if (r?.resourceType !== 'DetectedIssue') {
      continue;
    }
    const about = communications
      .filter(({ entry }) => {
        const cr = entry.resource as Communication;
        return [...(cr.about ?? []), ...(cr.basedOn ?? []), ...(cr.partOf ?? [])].some((x) => x.reference === e.fullUrl);
      })
      .map((c) => c.entry);
    const roots = [e.fullUrl as string, ...[...about, ...loose].map((c) => c.fullUrl as string)];
    const picked = reachableEntries(context, roots).filter((x) => x.resource?.resourceType !== 'Provenance');
    // The signal's episode: its identifier's scope, else the episode it was detected in.
    const signal = parseIdentifierValue(clinicIdentifierValue(r, clinicId) as string);
    const recordId = signalRecordId(signal.episodeId ?? episodeId, signal.localId);
    out.push({
      recordId,
      priority: r.severity === 'high' ? 1 : r.severity === 'moderate' ? 2 : 3,
      bundle: {
        resourceType: 'Bundle',
        type: 'transaction',
        identifier: { system, value: `signal-${recordId}` },
        entry: picked,
      },
    });
  }
  return out;
}

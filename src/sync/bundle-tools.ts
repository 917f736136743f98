/**
 * Reading and cutting the mapping's transaction Bundles (docs/conventions.md): the episode's id and
 * version, references between entries, the per-dosing-session Bundle for the prescriber, and the
 * safety-signal Bundle for the alerts queue.
 */
import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, Identifier, Provenance, Reference, Resource } from '@medplum/fhirtypes';
import { clinicIdentifierSystem, kapExtension, NPI, OBSERVATION_CATEGORY } from '../terminology/systems.js';
import { badRequest, OperationOutcomeError } from '../outcomes.js';
import { dosingRecordId, parseIdentifierValue, payloadName, signalRecordId } from '../identity/record-identity.js';
import { FHIR_ID } from './config.js';

/** The episode a Bundle carries. */
export interface EpisodeInfo {
  episodeId: string;
  version: number;
}

/**
 * Reads the episode id (Bundle.identifier `episode-<id>-v<version>`) and the version (the
 * `kap-source-version` extension on EpisodeOfCare, else the identifier's suffix), and checks the
 * Bundle belongs to the clinic.
 * @param bundle - the transaction Bundle
 * @param clinicId - the submitting clinic
 * @returns id and version
 * @throws OperationOutcomeError (400) when the Bundle is not an episode Bundle of this clinic
 */
export function episodeInfo(bundle: Bundle, clinicId: string): EpisodeInfo {
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction' || !Array.isArray(bundle.entry)) {
    throw new OperationOutcomeError(badRequest('Expected a transaction Bundle', 'Bundle.type'));
  }
  if (bundle.identifier?.system !== clinicIdentifierSystem(clinicId)) {
    throw new OperationOutcomeError(badRequest('Bundle identifier system is not the clinic\'s', 'Bundle.identifier.system'));
  }
  const m = /^episode-(.+)-v(\d+)$/.exec(bundle.identifier.value ?? '');
  if (!m || !FHIR_ID.test(m[1])) {
    throw new OperationOutcomeError(badRequest('Bundle identifier is not episode-<id>-v<version>', 'Bundle.identifier.value'));
  }
  const eoc = bundle.entry.find((e) => e.resource?.resourceType === 'EpisodeOfCare')?.resource as
    | { extension?: { url: string; valueInteger?: number }[] }
    | undefined;
  const ext = eoc?.extension?.find((x) => x.url === kapExtension('kap-source-version'))?.valueInteger;
  const version = ext ?? Number(m[2]);
  if (!Number.isInteger(version) || version < 1) {
    throw new OperationOutcomeError(badRequest('Invalid source version', 'EpisodeOfCare.extension'));
  }
  return { episodeId: m[1], version };
}

/** Calls `fn` on every Reference-like object (`{ reference: string }`) inside a value. */
export function walkReferences(value: unknown, fn: (ref: Reference, parent: unknown, key: string | number) => void): void {
  const visit = (v: unknown, parent: unknown, key: string | number): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, v, i));
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.reference === 'string') {
        fn(o as Reference, parent, key);
      }
      for (const [k, x] of Object.entries(o)) {
        if (x && typeof x === 'object') {
          visit(x, o, k);
        }
      }
    }
  };
  visit(value, undefined, '');
}

/** The `urn:uuid:` references a resource makes. */
export function referencesOf(resource: Resource | undefined): string[] {
  const out: string[] = [];
  walkReferences(resource, (r) => {
    if (r.reference?.startsWith('urn:uuid:')) {
      out.push(r.reference);
    }
  });
  return out;
}

/**
 * The entries reachable from `roots` through references (the roots included), in Bundle order.
 * @param entries - all entries
 * @param roots - fullUrls to start from
 * @returns the entries
 */
export function closure(entries: BundleEntry[], roots: string[]): BundleEntry[] {
  const byUrl = new Map(entries.map((e) => [e.fullUrl, e]));
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const url = stack.pop() as string;
    if (seen.has(url) || !byUrl.has(url)) {
      continue;
    }
    seen.add(url);
    stack.push(...referencesOf(byUrl.get(url)?.resource));
  }
  return entries.filter((e) => e.fullUrl && seen.has(e.fullUrl));
}

/** The clinic identifier value of an entry's resource (Identifier or Identifier[]). */
export function clinicIdentifierValue(resource: Resource | undefined, clinicId: string): string | undefined {
  const raw = (resource as { identifier?: Identifier | Identifier[] } | undefined)?.identifier;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.find((i) => i.system === clinicIdentifierSystem(clinicId))?.value;
}

/** Stable hash of a payload (to skip re-sending unchanged content). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
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
 * MedicationAdministration, the Observations that are `partOf` it (vitals, dissociation score), the
 * AdverseEvents that name it as suspect, and the latest instrument score per instrument in the
 * episode, with everything they reference (Patient, Encounter, MedicationRequest, Practitioner …)
 * and a Provenance. Conditional PUTs and `urn:uuid` references, as the episode Bundle.
 * @param bundle - the episode Bundle
 * @param clinicId - the clinic
 * @param info - episode id and version
 * @returns one delivery per MedicationAdministration with a clinic identifier
 */
export function prescriberDeliveries(bundle: Bundle, clinicId: string, info: EpisodeInfo): PrescriberDelivery[] {
  const entries = bundle.entry ?? [];
  const byUrl = new Map(entries.map((e) => [e.fullUrl, e.resource]));
  const isSurveyScore = (r: Resource): boolean =>
    r.resourceType === 'Observation' &&
    !!r.derivedFrom?.length &&
    !!r.category?.some((c) => c.coding?.some((x) => x.system === OBSERVATION_CATEGORY && x.code === 'survey'));
  const latestScores = new Map<string, BundleEntry>();
  for (const e of entries) {
    const r = e.resource;
    if (r && isSurveyScore(r) && r.resourceType === 'Observation') {
      const code = r.code?.coding?.map((c) => `${c.system}|${c.code}`).join(',') ?? '';
      const prev = latestScores.get(code)?.resource as { effectiveDateTime?: string } | undefined;
      if (!prev || (r.effectiveDateTime ?? '') >= (prev.effectiveDateTime ?? '')) {
        latestScores.set(code, e);
      }
    }
  }
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
    for (const e of latestScores.values()) {
      roots.push(e.fullUrl as string);
    }
    const mr = byUrl.get(refOf(ma.request));
    const practitioner = mr?.resourceType === 'MedicationRequest' ? byUrl.get(refOf(mr.requester)) : undefined;
    const ids = (practitioner as { identifier?: Identifier[] } | undefined)?.identifier ?? [];
    const picked = closure(entries, roots).filter((e) => e.resource?.resourceType !== 'Provenance');
    // R4 Provenance has no identifier: its key is a tag, like the episode's Provenance (no client-chosen id:
    // real servers assign their own).
    const provTag = { system: clinicIdentifierSystem(clinicId), code: `prov-${payloadName('dosing', recordId, info.version)}` };
    const provenance: Provenance = {
      resourceType: 'Provenance',
      meta: { tag: [provTag] },
      target: picked.map((e) => ({ reference: e.fullUrl })),
      recorded: ma.effectiveDateTime ?? ma.effectivePeriod?.end ?? ma.effectivePeriod?.start ?? '1970-01-01T00:00:00Z',
      activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] },
      agent: [{ who: entries.find((e) => e.resource?.resourceType === 'Organization')?.fullUrl
        ? { reference: entries.find((e) => e.resource?.resourceType === 'Organization')?.fullUrl }
        : { display: 'kap-fhir' } }],
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
        entry: [
          ...picked,
          {
            fullUrl: `urn:uuid:${uuidFrom(`Provenance|${provTag.system}|${provTag.code}`)}`,
            resource: provenance,
            request: { method: 'PUT', url: `Provenance?_tag=${encodeURIComponent(`${provTag.system}|${provTag.code}`)}` },
          },
        ],
      },
    });
  }
  return out;
}

/** A deterministic UUID from a key (v5 layout over SHA-1). */
export function uuidFrom(key: string): string {
  const h = createHash('sha1').update(key).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** A safety-signal Bundle ready for the alerts queue. */
export interface SignalDelivery {
  /** The delivery record id: episode + the signal's local id (src/identity/record-identity.ts). */
  recordId: string;
  /** BullMQ priority (1 = highest): DetectedIssue.severity high → 1, moderate → 2, else 3. */
  priority: number;
  bundle: Bundle;
}

/**
 * Builds the alert Bundle(s) from safety signals (DetectedIssue + Communication, from src/safety):
 * one per DetectedIssue, with the Communications about it and everything they reference that the
 * optional episode Bundle holds. Entries keep (or get) conditional PUTs on their clinic identifier.
 * @param signals - a Bundle of signals or the resources
 * @param clinicId - the clinic
 * @param episode - the episode Bundle the references point into (optional)
 * @returns one delivery per DetectedIssue
 * @throws OperationOutcomeError when a signal has no clinic identifier
 */
export function signalDeliveries(signals: Bundle | Resource[], clinicId: string, episode?: Bundle): SignalDelivery[] {
  const system = clinicIdentifierSystem(clinicId);
  // Resources given alone keep the fullUrl and request they have in the episode Bundle (same object,
  // or same type and clinic identifier), so references between them and into the episode still match.
  const inEpisode = (r: Resource): BundleEntry | undefined => {
    const value = clinicIdentifierValue(r, clinicId);
    return episode?.entry?.find(
      (e) => e.resource === r || (e.resource?.resourceType === r.resourceType && value !== undefined && clinicIdentifierValue(e.resource, clinicId) === value)
    );
  };
  const given: BundleEntry[] = Array.isArray(signals)
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
      fullUrl: e.fullUrl ?? `urn:uuid:${uuidFrom(`${r.resourceType}|${system}|${value}`)}`,
      resource: r,
      request: e.request ?? { method: 'PUT', url: `${r.resourceType}?identifier=${encodeURIComponent(`${system}|${value}`)}` },
    };
  });
  const context = [...normalized, ...(episode?.entry ?? []).filter((e) => !normalized.some((n) => n.fullUrl === e.fullUrl))];
  const out: SignalDelivery[] = [];
  for (const e of normalized) {
    const r = e.resource;
    if (r?.resourceType !== 'DetectedIssue') {
      continue;
    }
    const about = normalized.filter((c) => {
      const cr = c.resource;
      if (cr?.resourceType !== 'Communication') {
        return false;
      }
      return [...(cr.about ?? []), ...(cr.basedOn ?? []), ...(cr.partOf ?? [])].some((x) => x.reference === e.fullUrl);
    });
    const loose = normalized.filter((c) => c.resource?.resourceType === 'Communication' && !normalized.some(
      (d) => d.resource?.resourceType === 'DetectedIssue' && referencesOf(c.resource).includes(d.fullUrl as string)));
    const roots = [e.fullUrl as string, ...[...about, ...loose].map((c) => c.fullUrl as string)];
    const picked = closure(context, roots).filter((x) => x.resource?.resourceType !== 'Provenance');
    // The signal's episode: its identifier's scope, else the episode Bundle it was detected in.
    const signal = parseIdentifierValue(clinicIdentifierValue(r, clinicId) as string);
    const episodeId = signal.episodeId ?? (episode ? episodeInfo(episode, clinicId).episodeId : undefined);
    if (episodeId === undefined) {
      throw new OperationOutcomeError(badRequest('Signal identifier without its episode', 'DetectedIssue.identifier.value'));
    }
    const recordId = signalRecordId(episodeId, signal.localId);
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

/**
 * The real FHIR server for tests: its connection line (from the global setup), an access token reused
 * across a file (the server limits token requests per IP), searches, and delivery targets pointing at it.
 */
import { describe } from '@jest/globals';
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { capabilitiesOf, type ServerCapabilities } from '../../src/sync/server-capabilities.js';
import type { JobStatus, SyncEngine } from '../../queues/sync-engine.js';
import type { TargetInput } from '../../src/sync/config.js';
import type { FhirLookup } from '../helpers/twin-episodes.js';

/** The JSON line `start` prints. */
export interface RealEhr {
  baseUrl: string;
  fhirBaseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  projectId: string;
  smartClientId?: string;
  transactionBundles?: boolean;
}

/** The server of this run (transactions run as batches), or undefined when the suite is skipped. */
export const realEhr: RealEhr | undefined = process.env.REAL_EHR ? (JSON.parse(process.env.REAL_EHR) as RealEhr) : undefined;
/** The second server, whose project runs transactions atomically (`transaction-bundles`). */
export const realEhrAtomic: RealEhr | undefined = process.env.REAL_EHR_ATOMIC ? (JSON.parse(process.env.REAL_EHR_ATOMIC) as RealEhr) : undefined;

/** `describe` when the server runs, `describe.skip` otherwise. */
export const describeRealEhr = realEhr ? describe : describe.skip;

const tokens = new Map<string, { value: string; expires: number }>();

/** A client-credentials access token of the project client (cached for most of its hour). */
export async function accessToken(ehr: RealEhr = realEhr as RealEhr): Promise<string> {
  const token = tokens.get(ehr.tokenUrl);
  if (token && token.expires > Date.now()) {
    return token.value;
  }
  const res = await fetch(ehr.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ehr.clientId, client_secret: ehr.clientSecret }),
  });
  if (!res.ok) {
    throw new Error(`token request: HTTP ${res.status}`);
  }
  const body = (await res.json()) as { access_token: string; expires_in?: number };
  tokens.set(ehr.tokenUrl, { value: body.access_token, expires: Date.now() + Math.max(60, (body.expires_in ?? 3600) - 300) * 1000 });
  return body.access_token;
}

/**
 * A FHIR request to the server with the project client's token.
 * @param path - relative to the FHIR base (e.g. `Patient?identifier=…`)
 * @param init - fetch options
 */
export async function fhirRequest(path: string, init: RequestInit = {}, ehr: RealEhr = realEhr as RealEhr): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await accessToken(ehr)}`);
  headers.set('accept', 'application/fhir+json');
  // The server's per-client quota (points per minute) answers 429: the test's own reads wait it out.
  for (let waits = 0; ; waits++) {
    const res = await fetch(`${ehr.fhirBaseUrl}/${path}`, { ...init, headers });
    if (res.status !== 429 || waits >= 20) {
      return res;
    }
    await res.body?.cancel();
    const after = Number(res.headers.get('retry-after'));
    await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? Math.min(after, 60) * 1000 : 5000));
  }
}

/**
 * Every resource a search finds (following `next` links).
 * @param type - the resource type
 * @param params - search parameters
 */
export async function searchAll<T extends Resource = Resource>(type: string, params: Record<string, string>, ehr: RealEhr = realEhr as RealEhr): Promise<T[]> {
  const out: T[] = [];
  let path: string | undefined = `${type}?${new URLSearchParams({ ...params, _count: '1000' }).toString()}`;
  while (path) {
    const res = await fhirRequest(path, {}, ehr);
    if (!res.ok) {
      throw new Error(`search ${type}: HTTP ${res.status}`);
    }
    const bundle = (await res.json()) as Bundle<T>;
    out.push(...(bundle.entry ?? []).map((e) => e.resource as T));
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    path = next ? next.slice(ehr.fhirBaseUrl.length + 1) : undefined;
  }
  return out;
}

/**
 * Looks records up at a real server by their key — `identifier`, or `_tag` for a type the server cannot
 * search by identifier (its CapabilityStatement, as the engine reads it) — reading each type once per
 * system (`<param>=<system>|`: every record of the clinic), so a check costs a few searches, not one per
 * record. Make a new one after each delivery.
 * @param ehr - the server
 */
export function realEhrLookup(ehr: RealEhr = realEhr as RealEhr): FhirLookup {
  const cache = new Map<string, Promise<Resource[]>>();
  let caps: Promise<ServerCapabilities> | undefined;
  return {
    async byIdentifier(type, token) {
      caps ??= fhirRequest('metadata', {}, ehr).then(async (r) => capabilitiesOf((await r.json()) as CapabilityStatement));
      const param = (await caps).searchParams(type).has('identifier') ? 'identifier' : '_tag';
      const system = token.slice(0, token.indexOf('|'));
      const key = `${type}|${param}|${system}`;
      if (!cache.has(key)) {
        cache.set(key, searchAll(type, { [param]: `${system}|` }, ehr));
      }
      return (await cache.get(key) as Resource[]).filter((r) => {
        if (param === '_tag') {
          return (r.meta?.tag ?? []).some((t) => `${t.system}|${t.code}` === token);
        }
        const raw = (r as { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] }).identifier;
        return (Array.isArray(raw) ? raw : raw ? [raw] : []).some((i) => `${i.system}|${i.value}` === token);
      });
    },
  };
}

/**
 * A delivery target at the real server (client-credentials auth).
 * @param id - target id
 * @param clinicId - its clinic
 * @param roles - what it receives
 * @param extra - further settings
 */
export function realEhrTarget(
  id: string,
  clinicId: string,
  roles: ('ehr' | 'prescriber' | 'alerts')[],
  extra: Partial<TargetInput> = {},
  ehr: RealEhr = realEhr as RealEhr
): TargetInput {
  return {
    id,
    clinicId,
    type: 'fhir',
    roles,
    url: ehr.fhirBaseUrl,
    timeoutMs: 30000,
    auth: { type: 'client-credentials', tokenUrl: ehr.tokenUrl, clientId: ehr.clientId, clientSecret: ehr.clientSecret, method: 'client_secret_post' },
    ...extra,
  } as TargetInput;
}

/** A run id for identifiers unique to this run (the server keeps data across runs). */
export const RUN_ID = `r${Date.now().toString(36)}`;

/** A job's status, or `unknown` for a job not found. */
export type JobView = Pick<JobStatus, 'id' | 'state'> & Partial<JobStatus>;

/**
 * Waits until every job is completed or failed (or the time is up); returns their last states.
 * @param sync - the service's sync engine
 * @param jobIds - the jobs
 * @param timeoutMs - at most this long
 */
export async function settleJobs(sync: Pick<SyncEngine, 'jobStatus'>, jobIds: string[], timeoutMs = 300000): Promise<JobView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(jobIds.map(async (id) => (await sync.jobStatus(id)) ?? { id, state: 'unknown' }));
    if (states.every((s) => s.state === 'completed' || s.state === 'failed') || Date.now() > deadline) {
      return states;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Issue 11 against the real FHIR server: the KAP package loads into a real server, and the server's own
 * validation accepts our examples with it.
 *
 * Medplum validates a resource against every `meta.profile` whose StructureDefinition is in the project (a
 * profile it does not find is skipped with a log line), so "loading the package" means writing its
 * conformance resources (StructureDefinitions, ValueSets, CodeSystems, Questionnaires) into the project: one
 * conditional update by canonical url each (`PUT StructureDefinition?url=…`, without the package's ids: the
 * server assigns its own; created on the first run, updated on later ones). Then every example instance of
 * profiles/package and every resource of every mapped example episode (examples/*.json through
 * `mapClinicEpisode`) must be accepted (2xx), and a blood pressure that breaks kap-blood-pressure must be
 * refused, while the same resource without `meta.profile` is accepted: the server really applies our profile.
 *
 * The server keeps data between runs: the package is written by url (idempotent), and everything else
 * carries identifiers unique to the run (a clinic id with the run id for the episodes, the run id appended
 * to the examples' identifier values).
 */
import { beforeAll, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bundle, BundleEntry, CapabilityStatement, Identifier, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { describeRealEhr, fhirRequest, RUN_ID } from './real-ehr.js';

type Json = Record<string, any>;

const PACKAGE_DIR = resolve(process.cwd(), 'profiles', 'package');
const EXAMPLES_DIR = resolve(process.cwd(), 'examples');
const CLINIC = `kap-pkg-${RUN_ID}`;
const BP_PROFILE = 'https://kap-fhir.org/fhir/StructureDefinition/kap-blood-pressure';

function readJsonFiles(dir: string): [string, Json][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json]);
}

/** The package's conformance resources (not its examples). */
const conformance = readJsonFiles(PACKAGE_DIR);
/** The package's example instances. */
const examples = readJsonFiles(join(PACKAGE_DIR, 'example')).map(([, r]) => r);
/** The example episodes. */
const episodeFiles = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();

/** An outcome's issues in one line. */
function describeOutcome(outcome: OperationOutcome | undefined): string {
  return (outcome?.issue ?? [])
    .map((i) => `${i.severity} ${i.code} ${(i.expression ?? []).join(',')}: ${i.details?.text ?? ''}${i.diagnostics ? ` (${i.diagnostics})` : ''}`)
    .join(' | ');
}

/** What the server answered for one resource. */
interface Answer {
  label: string;
  status: string;
  outcome?: OperationOutcome;
}

const refusals = (answers: Answer[]): string[] =>
  answers.filter((a) => !a.status.startsWith('2')).map((a) => `${a.label}: ${a.status} ${describeOutcome(a.outcome)}`);

/** Every reference object of a resource tree. */
function eachReference(node: unknown, visit: (ref: { reference: string }) => void): void {
  if (Array.isArray(node)) {
    node.forEach((n) => eachReference(n, visit));
  } else if (node && typeof node === 'object') {
    const ref = (node as { reference?: unknown }).reference;
    if (typeof ref === 'string') {
      visit(node as { reference: string });
    }
    Object.values(node).forEach((n) => eachReference(n, visit));
  }
}

/** The search parameters the server has per resource type (its CapabilityStatement). */
let searchParams: Map<string, Set<string>> | undefined;
async function serverSearchParams(): Promise<Map<string, Set<string>>> {
  if (!searchParams) {
    const res = await fhirRequest('metadata');
    expect(res.status).toBe(200);
    const cs = (await res.json()) as CapabilityStatement;
    searchParams = new Map((cs.rest?.[0]?.resource ?? []).map((r) => [r.type as string, new Set((r.searchParam ?? []).map((p) => p.name as string))]));
  }
  return searchParams;
}

/**
 * A conditional update on `identifier` for a type the server cannot search by identifier (R4 AdverseEvent):
 * keyed by the same `system|value` as a `meta.tag` instead, as the delivery does (src/sync/write-keys.ts).
 */
function keyForServer(entry: BundleEntry, params: Map<string, Set<string>>): BundleEntry {
  const url = entry.request?.url ?? '';
  const m = /^([A-Za-z]+)\?identifier=([^&]+)$/.exec(url);
  if (entry.request?.method !== 'PUT' || !m || params.get(m[1])?.has('identifier') !== false) {
    return entry;
  }
  const token = decodeURIComponent(m[2]);
  const bar = token.indexOf('|');
  const tag = { system: token.slice(0, bar), code: token.slice(bar + 1) };
  const resource = entry.resource as Resource;
  return {
    ...entry,
    resource: { ...resource, meta: { ...resource.meta, tag: [...(resource.meta?.tag ?? []), tag] } } as Resource,
    request: { method: 'PUT', url: `${m[1]}?_tag=${encodeURIComponent(`${tag.system}|${tag.code}`)}` },
  };
}

/** Seconds until the quota refills, from the server's `RateLimit: "fhirInteractions";r=…;t=…` header. */
function quotaWait(res: Response): number {
  const t = Number(/;t=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1]);
  return Number.isFinite(t) && t > 0 ? Math.min(t, 60) : 10;
}

/**
 * A conditional write that lost a race at SERIALIZABLE isolation (409 "could not serialize access"): other
 * writers share the server; the write is retried, as the delivery retries it.
 */
function isSerializationConflict(status: string, outcome: OperationOutcome | undefined): boolean {
  return status.startsWith('409') && describeOutcome(outcome).includes('could not serialize');
}

/**
 * Sends entries as a `batch` Bundle and returns the server's answer per entry. Medplum resolves `urn:uuid`
 * references between the entries of a batch (its non-atomic transaction processing); a batch, unlike a
 * transaction, stays non-atomic when the project has the `transaction-bundles` feature. Entries refused
 * for the quota (429: that entry and every later one) are sent again when it refills, and those that lost a
 * serialization race (409) a second later; their references to entries already written are replaced by
 * the ids the server gave.
 * @param entries - the entries (each with fullUrl, resource, request)
 * @param label - a name per entry for the report
 */
async function sendBatch(entries: BundleEntry[], label: (i: number) => string): Promise<Answer[]> {
  const answers: (Answer | undefined)[] = entries.map(() => undefined);
  const ids = new Map<string, string>();
  let pending = entries.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    const batch: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: pending.map((i) => {
        const resource = structuredClone(entries[i].resource) as Resource;
        eachReference(resource, (ref) => {
          ref.reference = ids.get(ref.reference) ?? ref.reference;
        });
        return { ...entries[i], resource };
      }),
    };
    const res = await fhirRequest('', { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(batch) });
    const body = (await res.json()) as Bundle | OperationOutcome;
    if (res.status !== 200 || body.resourceType !== 'Bundle') {
      throw new Error(`batch: HTTP ${res.status} ${describeOutcome(body as OperationOutcome)}`);
    }
    expect(body.entry?.length).toBe(pending.length);
    const again: number[] = [];
    let quota = false;
    pending.forEach((i, k) => {
      const response = body.entry?.[k]?.response;
      const status = response?.status ?? '(none)';
      if (round < 10 && (status.startsWith('429') || isSerializationConflict(status, response?.outcome as OperationOutcome | undefined))) {
        quota ||= status.startsWith('429');
        again.push(i);
        return;
      }
      answers[i] = { label: label(i), status, outcome: response?.outcome as OperationOutcome | undefined };
      const location = response?.location?.split('/_history')[0];
      const fullUrl = entries[i].fullUrl;
      if (status.startsWith('2') && location && fullUrl) {
        ids.set(fullUrl, location.replace(/^.*\/([A-Za-z]+\/[^/]+)$/, '$1'));
      }
    });
    pending = again;
    if (pending.length > 0) {
      await new Promise((r) => setTimeout(r, quota ? quotaWait(res) * 1000 : 1000));
    }
  }
  return answers as Answer[];
}

/** The package's conformance resources written into the project by canonical url. */
async function loadPackage(): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const [file, resource] of conformance) {
    const { id: _id, ...body } = resource;
    const res = await fhirRequest(`${resource.resourceType}?url=${encodeURIComponent(resource.url)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Resource;
    answers.push({ label: file, status: String(res.status), outcome: json.resourceType === 'OperationOutcome' ? json : undefined });
  }
  return answers;
}

/** The identifier values of a resource (array or, as in QuestionnaireResponse, single) with the run id appended. */
function withRunIdentifiers(resource: Json): Json {
  const tag = (i: Identifier): Identifier => (i.value ? { ...i, value: `${i.value}-${RUN_ID}` } : i);
  if (Array.isArray(resource.identifier)) {
    return { ...resource, identifier: resource.identifier.map(tag) };
  }
  return resource.identifier ? { ...resource, identifier: tag(resource.identifier) } : resource;
}

/** The example BP Observation, standing alone: subject = `subject`, no encounter or partOf, run identifiers. */
function standaloneBp(subject: string): Json {
  const bp = structuredClone(examples.find((e) => e.meta?.profile?.includes(BP_PROFILE))) as Json;
  expect(bp).toBeDefined();
  delete bp.id;
  delete bp.encounter;
  delete bp.partOf;
  return withRunIdentifiers({ ...bp, subject: { reference: subject } });
}

describeRealEhr('the KAP package loaded into a real FHIR server', () => {
  let loaded: Answer[];

  beforeAll(async () => {
    loaded = await loadPackage();
  });

  test('every conformance resource of profiles/package is written into the project by url', async () => {
    expect(conformance.length).toBeGreaterThan(40);
    expect(refusals(loaded)).toEqual([]);
    // one resource per canonical url: a later load updates it, never adds a second one
    const res = await fhirRequest(`StructureDefinition?url=${encodeURIComponent(BP_PROFILE)}&_total=accurate`);
    expect(((await res.json()) as Bundle).total).toBe(1);
  });

  test('the server applies kap-blood-pressure: a valid blood pressure is accepted, broken ones are refused', async () => {
    const patient = examples.find((e) => e.resourceType === 'Patient') as Json;
    const patientUrl = `urn:uuid:${randomUUID()}`;
    const bp = standaloneBp(patientUrl);
    const component = bp.component as Json[];
    const systolic = component.find((c) => JSON.stringify(c.code).includes('8480-6')) as Json;
    const diastolic = component.find((c) => JSON.stringify(c.code).includes('8462-4')) as Json;
    const cases: [name: string, resource: Json, expected: 'accepted' | string][] = [
      ['valid', bp, 'accepted'],
      ['no systolic component', { ...bp, component: [diastolic] }, 'Observation.component'],
      ['no diastolic component', { ...bp, component: [systolic] }, 'Observation.component'],
      ['systolic coded as a heart rate', { ...bp, component: [{ ...systolic, code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }, diastolic] }, 'Observation.component'],
      ['not a BP panel code', { ...bp, code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }, 'Observation.code.coding'],
      ['a value on the panel itself', { ...bp, valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }, 'Observation.value[x]'],
      // control: the same broken resource without the profile is valid R4, so the refusal above is our profile's
      ['no systolic component, no meta.profile', { ...bp, meta: undefined, component: [diastolic] }, 'accepted'],
    ];
    const entries: BundleEntry[] = [
      {
        fullUrl: patientUrl,
        resource: withRunIdentifiers({ ...patient, id: undefined, managingOrganization: undefined, generalPractitioner: undefined }) as Resource,
        request: { method: 'POST', url: 'Patient' },
      },
      ...cases.map(([, resource]) => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: resource as Resource, request: { method: 'POST' as const, url: 'Observation' } })),
    ];
    const answers = await sendBatch(entries, (i) => (i === 0 ? 'Patient' : cases[i - 1][0]));
    expect(refusals(answers.slice(0, 1))).toEqual([]);
    const got = cases.map(([name, , expected], k) => {
      const a = answers[k + 1];
      if (expected === 'accepted') {
        return `${name}: ${a.status.startsWith('2') ? 'accepted' : `${a.status} ${describeOutcome(a.outcome)}`}`;
      }
      const refusedAt = a.status.startsWith('400') && (a.outcome?.issue ?? []).some((i) => i.severity === 'error' && i.expression?.includes(expected));
      return `${name}: ${refusedAt ? expected : `${a.status} ${describeOutcome(a.outcome)}`}`;
    });
    expect(got).toEqual(cases.map(([name, , expected]) => `${name}: ${expected}`));
  });

  test('every example instance of profiles/package is accepted', async () => {
    expect(examples.filter((e) => e.meta?.profile?.length).length).toBeGreaterThan(15);
    const fullUrls = new Map(examples.map((e) => [`${e.resourceType}/${e.id}`, `urn:uuid:${randomUUID()}`]));
    const entries: BundleEntry[] = examples.map((example) => {
      const resource = withRunIdentifiers(structuredClone(example));
      eachReference(resource, (ref) => {
        ref.reference = fullUrls.get(ref.reference) ?? ref.reference;
      });
      delete resource.id;
      return { fullUrl: fullUrls.get(`${example.resourceType}/${example.id}`), resource: resource as Resource, request: { method: 'POST', url: example.resourceType } };
    });
    const answers = await sendBatch(entries, (i) => `${examples[i].resourceType}/${examples[i].id}`);
    expect(refusals(answers)).toEqual([]);
  });

  test.each(episodeFiles)('every resource of the mapped episode %s is accepted', async (file) => {
    const parsed = parseEpisode(JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')));
    if (!parsed.ok) {
      throw new Error(`${file} does not parse as an episode: ${describeOutcome(parsed.outcome)}`);
    }
    const { bundle } = mapClinicEpisode(parsed.episode, CLINIC);
    const params = await serverSearchParams();
    const entries = (bundle.entry ?? []).map((e) => keyForServer(e, params));
    expect(entries.filter((e) => e.resource?.meta?.profile?.length).length).toBeGreaterThan(0);
    const label = (i: number): string => {
      const r = entries[i].resource as Resource;
      return `${r.resourceType} ${r.meta?.profile?.[0]?.split('/').pop() ?? ''} ${decodeURIComponent(entries[i].request?.url ?? '')}`;
    };
    const answers = await sendBatch(entries, label);
    expect(refusals(answers)).toEqual([]);
  });
});

/**
 * Security review (issue 10), work per request is bounded: an episode with more sessions, vitals,
 * side effects, questionnaires or mapped resources than the configured limits is refused with 413
 * (`too-costly`, naming the collection) before it is mapped or validated — a 1 MB episode with 9,000
 * vital signs used to cost seconds of CPU — and nothing is stored or enqueued. FHIR bodies (POST
 * /fhir, $validate) are bounded by their number of resources the same way.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { startApiHarness, totalJobs, type ApiHarness } from '../integration/api-harness.js';
import { errorExpressions, example, isStored } from './helpers.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

/** The example with `n` vital signs in its first dosing session; returns it and that session's index. */
function withVitals(id: string, n: number): { episode: Record<string, any>; index: number } {
  const episode = example('iv-ketamine-trd.json', id) as Record<string, any>;
  const index = (episode.sessions as { kind: string }[]).findIndex((s) => s.kind === 'dosing');
  const session = episode.sessions[index];
  session.vitals = Array.from({ length: n }, (_, i) => ({
    id: `${session.id}-hr-${i}`,
    time: session.doseStart,
    phase: 'during-dose',
    kind: 'heart-rate',
    value: 70 + (i % 30),
  }));
  return { episode, index };
}

async function expectTooCostly(path: string, init: RequestInit & { json?: unknown }, expression: string): Promise<void> {
  const before = await totalJobs(h);
  const res = await h.call(path, { method: 'POST', ...init });
  expect(res.status).toBe(413);
  const o = (await res.json()) as OperationOutcome;
  expect(o.issue?.[0]?.code).toBe('too-costly');
  expect(errorExpressions(o)).toContain(expression);
  expect(await totalJobs(h)).toBe(before);
}

describe('limits per episode', () => {
  test('9,000 vital signs in one session → 413 naming sessions[i].vitals, nothing stored', async () => {
    const { episode, index } = withVitals('ep-sec-vitals-9000', 9000);
    await expectTooCostly('/v1/episodes', { json: episode }, `sessions[${index}].vitals`);
    expect(await isStored(h, 'clinic-a', 'ep-sec-vitals-9000')).toBe(false);
  });

  test('9,000 vital signs spread over many sessions → 413 on the total of mapped resources', async () => {
    const episode = example('iv-ketamine-trd.json', 'ep-sec-vitals-spread') as Record<string, any>;
    const dosing = (episode.sessions as { kind: string }[]).find((s) => s.kind === 'dosing') as Record<string, any>;
    episode.sessions = Array.from({ length: 60 }, (_, s) => ({
      ...dosing,
      id: `s-spread-${s}`,
      vitals: Array.from({ length: 150 }, (_, i) => ({
        id: `s-spread-${s}-hr-${i}`, time: dosing.doseStart, phase: 'during-dose', kind: 'heart-rate', value: 80,
      })),
      sideEffects: [],
    }));
    episode.questionnaires = [];
    await expectTooCostly('/v1/episodes', { json: episode }, 'sessions');
    expect(await isStored(h, 'clinic-a', 'ep-sec-vitals-spread')).toBe(false);
  });

  test('a session with 9,000 vital signs added to a kept episode → 413 naming vitals (relative to the session)', async () => {
    const base = example('iv-ketamine-trd.json', 'ep-sec-add-session');
    expect((await h.call('/v1/episodes', { method: 'POST', json: base })).status).toBe(202);
    const { episode, index } = withVitals('unused', 9000);
    const session = { ...episode.sessions[index], id: 's-sec-added', sideEffects: [] };
    session.vitals = (session.vitals as { id: string }[]).map((v, i) => ({ ...v, id: `s-sec-added-hr-${i}` }));
    await expectTooCostly('/v1/episodes/ep-sec-add-session/sessions', { json: session }, 'vitals');
  });
});

describe('limits per FHIR request', () => {
  const bundleOf = (n: number): Bundle => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: n }, (_, i) => ({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resource: { resourceType: 'Basic', code: { text: 'x' } },
      request: { method: 'POST', url: 'Basic' },
    })) as Bundle['entry'],
  });

  test('POST /fhir with 9,000 resources → 413 naming Bundle.entry', async () => {
    await expectTooCostly('/fhir', { body: JSON.stringify(bundleOf(9000)), headers: { 'content-type': 'application/fhir+json' } }, 'Bundle.entry');
  });

  test('$validate of a Bundle with 9,000 resources → 413 naming Bundle.entry', async () => {
    await expectTooCostly('/fhir/$validate', { body: JSON.stringify(bundleOf(9000)), headers: { 'content-type': 'application/fhir+json' } }, 'Bundle.entry');
  });
});

describe('the limits are configuration', () => {
  let small: ApiHarness;

  beforeAll(async () => {
    small = await startApiHarness({
      limits: { ...h.config.limits, vitalsPerSession: 3, sessionsPerEpisode: 5, questionnairesPerEpisode: 2, sideEffectsPerSession: 1 },
    });
  });

  afterAll(async () => {
    await small?.close();
  });

  test('the iv-ketamine example exceeds small limits → 413 naming each collection over its limit', async () => {
    const episode = example('iv-ketamine-trd.json', 'ep-sec-small') as Record<string, any>;
    const res = await small.call('/v1/episodes', { method: 'POST', json: episode });
    expect(res.status).toBe(413);
    const expressions = errorExpressions((await res.json()) as OperationOutcome);
    const sessions = episode.sessions as { vitals?: unknown[]; sideEffects?: unknown[] }[];
    const expected = [
      'sessions',
      'questionnaires',
      ...sessions.flatMap((s, i) => [
        ...((s.vitals ?? []).length > 3 ? [`sessions[${i}].vitals`] : []),
        ...((s.sideEffects ?? []).length > 1 ? [`sessions[${i}].sideEffects`] : []),
      ]),
    ];
    expect(expected.length).toBeGreaterThan(3);
    expect([...expressions].sort()).toEqual([...expected].sort());
    expect(await isStored(small, 'clinic-a', 'ep-sec-small')).toBe(false);
  });
});

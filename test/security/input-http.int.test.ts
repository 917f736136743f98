/**
 * Security review (issue 10), input rules on every JSON body of the real service: lone UTF-16
 * surrogates (in a value or a field name) → 400; duplicate object keys anywhere → 400 naming the
 * path of the duplicate (JSON.parse alone silently keeps the last one); a birth date before 1900 →
 * 422. Each refusal is an OperationOutcome naming the field, never its value, and leaves nothing
 * stored and nothing enqueued.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { startApiHarness, totalJobs, type ApiHarness } from '../integration/api-harness.js';
import { errorExpressions, example, isStored, postText } from './helpers.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Posts a body and checks the refusal: status, expression, no value echoed, nothing kept or enqueued. */
async function expectRefused(
  path: string,
  text: string,
  status: number,
  expression: string,
  episodeId?: string,
  contentType?: string
): Promise<OperationOutcome> {
  const before = await totalJobs(h);
  const res = await postText(h, path, text, 'a', contentType);
  expect(res.status).toBe(status);
  const o = (await res.json()) as OperationOutcome;
  expect(o.resourceType).toBe('OperationOutcome');
  expect(errorExpressions(o)).toContain(expression);
  expect(JSON.stringify(o)).not.toMatch(/Testperson|\\ud800|\\udc00|2099-01-01/);
  expect(await totalJobs(h)).toBe(before);
  if (episodeId) {
    expect(await isStored(h, 'clinic-a', episodeId)).toBe(false);
  }
  return o;
}

/**
 * JSON text of `value` where every key `<k>__DUP` is written as `<k>`: the text then holds the key
 * twice, and JSON.parse keeps the later one.
 */
function withDuplicates(value: unknown): string {
  return JSON.stringify(value).replace(/"([^"\\]+)__DUP":/g, '"$1":');
}

describe('lone UTF-16 surrogates', () => {
  test('in a name → 400 naming patient.name.family', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-surrogate-1') as Record<string, any>;
    e.patient.name.family = 'Test\ud800person';
    await expectRefused('/v1/episodes', JSON.stringify(e), 400, 'patient.name.family', 'ep-sec-surrogate-1');
  });

  test('in a vital-sign id deep in an array → 400 naming its path', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-surrogate-2') as Record<string, any>;
    const i = (e.sessions as { vitals?: unknown[] }[]).findIndex((s) => (s.vitals ?? []).length > 0);
    e.sessions[i].vitals[0].id = 'v\udc00';
    await expectRefused('/v1/episodes', JSON.stringify(e), 400, `sessions[${i}].vitals[0].id`, 'ep-sec-surrogate-2');
  });

  test('in a field name → 400 naming the object that holds it', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-surrogate-3') as Record<string, any>;
    e.patient['x\ud800'] = 1;
    await expectRefused('/v1/episodes', JSON.stringify(e), 400, 'patient', 'ep-sec-surrogate-3');
  });

  test('in a FHIR body ($validate) → 400 naming the FHIR path', async () => {
    const patient = { resourceType: 'Patient', name: [{ family: 'Test\ud800person', given: ['A'] }], gender: 'female' };
    await expectRefused('/fhir/$validate', JSON.stringify(patient), 400, 'Patient.name[0].family', undefined, 'application/fhir+json');
  });

  test('in a session added to an episode → 400', async () => {
    const session = { id: 's-sec-1', kind: 'integration', start: '2026-06-01T10:00:00-04:00', practitionerIds: ['pr\ud800'] };
    await expectRefused('/v1/episodes/no-such-episode/sessions', JSON.stringify(session), 400, 'practitionerIds[0]');
  });
});

describe('duplicate object keys', () => {
  test('patient.birthDate twice → 400 naming patient.birthDate (not the last one silently kept)', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-dup-1') as Record<string, any>;
    e.patient = { birthDate__DUP: '1950-01-01', ...e.patient };
    await expectRefused('/v1/episodes', withDuplicates(e), 400, 'patient.birthDate', 'ep-sec-dup-1');
  });

  test('a key twice inside an array element → 400 naming sessions[i].vitals[j].value', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-dup-2') as Record<string, any>;
    const i = (e.sessions as { vitals?: { kind: string }[] }[]).findIndex((s) => (s.vitals ?? []).some((v) => v.kind === 'heart-rate'));
    const j = (e.sessions[i].vitals as { kind: string }[]).findIndex((v) => v.kind === 'heart-rate');
    e.sessions[i].vitals[j] = { value__DUP: 70, ...e.sessions[i].vitals[j] };
    await expectRefused('/v1/episodes', withDuplicates(e), 400, `sessions[${i}].vitals[${j}].value`, 'ep-sec-dup-2');
  });

  test('the same key written once plainly and once with an escape → 400 at the top level', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-dup-3');
    const text = JSON.stringify(e).replace(/^\{/, '{"\\u0069d":"ep-sec-dup-other",');
    await expectRefused('/v1/episodes', text, 400, 'id', 'ep-sec-dup-3');
    expect(await isStored(h, 'clinic-a', 'ep-sec-dup-other')).toBe(false);
  });

  test('in a FHIR body (POST /fhir/$validate) → 400 naming the FHIR path', async () => {
    const text = '{"resourceType":"Patient","gender":"male","name":[{"family":"Testperson","given":["A"]}],"gender":"female"}';
    await expectRefused('/fhir/$validate', text, 400, 'Patient.gender', undefined, 'application/fhir+json');
  });

  test('the same key in two different objects is fine (not a duplicate)', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-dup-ok');
    const res = await postText(h, '/v1/episodes', JSON.stringify(e));
    expect(res.status).toBe(202);
  });

  test('a body that is not JSON is still 400 "not valid JSON"; too deep is still 413', async () => {
    const bad = await postText(h, '/v1/episodes', '{"id": "a", "id": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as OperationOutcome).issue?.[0]?.details?.text).toBe('Request body is not valid JSON');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await postText(h, '/v1/episodes', `{"a":${deep}}`);
    expect(res.status).toBe(413);
  });
});

describe('birth date before 1900', () => {
  test('→ 422 naming patient.birthDate, nothing stored', async () => {
    const e = example('iv-ketamine-trd.json', 'ep-sec-born-1899') as Record<string, any>;
    e.patient.birthDate = '1899-12-31';
    await expectRefused('/v1/episodes', JSON.stringify(e), 422, 'patient.birthDate', 'ep-sec-born-1899');
  });
});

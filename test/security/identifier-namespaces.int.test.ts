/**
 * Security review (issue 10), identifier namespaces on the real service: clinic B once posted a
 * patient carrying clinic A's KAP identifier; the EHR then held two Patients answering to A's
 * identifier and A's conditional updates failed. A clinic may not submit identifiers in kap-fhir's
 * own namespaces (any clinic's KAP system, anything under the kap-fhir base URL), on any path that
 * ingests an episode (POST/PUT /v1/episodes, POST /fhir): 422 naming the field, nothing stored or
 * enqueued, and clinic A's deliveries go on as before.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { mapEpisode } from '../../src/fhir/index.js';
import { parseEpisode } from '../../src/kap/index.js';
import { clinicIdentifierSystem, KAP_CANONICAL, NPI } from '../../src/terminology/systems.js';
import { settleJob, startApiHarness, totalJobs, type ApiHarness } from '../integration/api-harness.js';
import { errorExpressions, example, isStored } from './helpers.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

interface Accepted {
  jobIds: string[];
}

const A_SYSTEM = clinicIdentifierSystem('clinic-a');

/** Posts as a clinic and waits for its EHR job; returns the job's final state. */
async function postAndSettle(as: 'a' | 'b', path: string, method: 'POST' | 'PUT', episode: unknown): Promise<string> {
  const res = await h.call(path, { method, as, json: episode });
  expect(res.status).toBe(202);
  const { jobIds } = (await res.json()) as Accepted;
  const ehr = jobIds.find((j) => j.startsWith('ehr_')) as string;
  return String((await settleJob(h, ehr, as)).state);
}

async function expectRefusedAs(as: 'a' | 'b', path: string, init: RequestInit & { json?: unknown }, expression: string, episodeId: string) {
  const before = await totalJobs(h);
  const res = await h.call(path, { ...init, as });
  expect(res.status).toBe(422);
  const o = (await res.json()) as OperationOutcome;
  expect(errorExpressions(o)).toContain(expression);
  expect(JSON.stringify(o)).not.toContain('pt-sec-a-1');
  expect(await totalJobs(h)).toBe(before);
  expect(await isStored(h, as === 'a' ? 'clinic-a' : 'clinic-b', episodeId)).toBe(false);
}

describe('clinic B submits clinic A’s KAP identifier', () => {
  test('→ 422 on patient.identifiers[i].system; clinic A’s later deliveries are unaffected', async () => {
    const a = example('iv-ketamine-trd.json', 'ep-sec-ns-a') as Record<string, any>;
    a.patient.id = 'pt-sec-a-1';
    expect(await postAndSettle('a', '/v1/episodes', 'POST', a)).toBe('completed');

    const b = example('esketamine-mdd.json', 'ep-sec-ns-b') as Record<string, any>;
    b.patient.identifiers = [...(b.patient.identifiers ?? []), { system: A_SYSTEM, value: 'pt-sec-a-1', type: 'PI' }];
    const index = b.patient.identifiers.length - 1;
    await expectRefusedAs('b', '/v1/episodes', { method: 'POST', json: b }, `patient.identifiers[${index}].system`, 'ep-sec-ns-b');

    // A new version from clinic A is delivered, and the EHR holds one Patient for A's identifier.
    expect(await postAndSettle('a', '/v1/episodes/ep-sec-ns-a', 'PUT', { ...a, version: a.version + 1 })).toBe('completed');
    expect(await h.sandbox.controls.find('Patient', `${A_SYSTEM}|pt-sec-a-1`)).toHaveLength(1);
  });

  test('PUT with another KAP namespace (any system under the kap-fhir base, any case) → 422', async () => {
    const b = example('esketamine-mdd.json', 'ep-sec-ns-b2') as Record<string, any>;
    for (const system of [`${KAP_CANONICAL}/anything`, 'HTTPS://KAP-FHIR.ORG/fhir/clinic/clinic-a', 'http://kap-fhir.org/x', clinicIdentifierSystem('clinic-b')]) {
      b.patient.identifiers = [{ system, value: 'x-1' }];
      await expectRefusedAs('b', '/v1/episodes/ep-sec-ns-b2', { method: 'PUT', json: b }, 'patient.identifiers[0].system', 'ep-sec-ns-b2');
    }
  });

  test('POST /fhir: a Patient carrying clinic A’s identifier as an extra identifier → 422', async () => {
    const parsed = parseEpisode(example('esketamine-mdd.json', 'ep-sec-ns-fhir'));
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const bundle = JSON.parse(JSON.stringify(mapEpisode(parsed.episode))) as Bundle;
    const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
    patient.identifier = [...(patient.identifier ?? []), { system: A_SYSTEM, value: 'pt-sec-a-1' }];
    const before = await totalJobs(h);
    const res = await h.call('/fhir', { method: 'POST', as: 'b', body: JSON.stringify(bundle), headers: { 'content-type': 'application/fhir+json' } });
    expect(res.status).toBe(422);
    const o = (await res.json()) as OperationOutcome;
    expect(errorExpressions(o).some((e) => /^patient\.identifiers\[\d+\]\.system$/.test(e))).toBe(true);
    expect(await totalJobs(h)).toBe(before);
    expect(await isStored(h, 'clinic-b', 'ep-sec-ns-fhir')).toBe(false);
  });

  test('shared systems stay allowed: an MRN system of the clinic’s own EHR, the NPI system', async () => {
    const b = example('esketamine-mdd.json', 'ep-sec-ns-ok') as Record<string, any>;
    b.patient.identifiers = [...(b.patient.identifiers ?? []), { system: NPI, value: '1245319599' }];
    const res = await h.call('/v1/episodes', { method: 'POST', as: 'b', json: b });
    expect(res.status).toBe(202);
  });
});

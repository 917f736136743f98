/**
 * Issue 10 against the real FHIR server: two episodes of one clinic that reuse every record id but the
 * episode and patient ids, through the real service (POST /v1/episodes) to the real server as EHR,
 * prescriber and alerts target: each patient keeps all its own records and alerts, none shared, none
 * overwritten.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../../src/api/auth.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { exampleEpisodes, testServiceConfig } from '../integration/api-harness.js';
import { cleanupPrefix, testPrefix } from '../integration/helpers/redis.js';
import { expectIsolated, twinOf } from '../helpers/twin-episodes.js';
import { describeRealEhr, realEhrLookup, realEhrTarget, RUN_ID, settleJobs } from './real-ehr.js';

const CLINIC = `clinic-${RUN_ID}`;
const key = `key-${randomBytes(8).toString('hex')}`;
let service: RunningService;
let prefix: string;

async function post(episode: Record<string, unknown>): Promise<string[]> {
  const res = await fetch(`${service.url}/v1/episodes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(episode),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { jobIds: string[] }).jobIds;
}

describeRealEhr('record identity at the real FHIR server', () => {
  beforeAll(async () => {
    prefix = testPrefix();
    const config = testServiceConfig(prefix, {
      clinics: [{ id: CLINIC, apiKeySha256: [hashApiKey(key)], targets: [realEhrTarget('real', CLINIC, ['ehr', 'prescriber', 'alerts'])] }],
      sandbox: false,
    });
    service = await startService({ config, api: true, workers: true, createSync: createServiceSyncEngine, env: {} });
  });
  afterAll(async () => {
    await service?.close();
    await cleanupPrefix(prefix);
  });

  test('every example and its twin: each patient keeps its own records and alerts', async () => {
    const episodes = exampleEpisodes().flatMap(([, e]) => {
      const first = { ...e, id: `${String(e.id)}-${RUN_ID}`, patient: { ...(e.patient as object), id: `${String((e.patient as { id: string }).id)}-${RUN_ID}` } };
      return [first, twinOf(first, 'twin')];
    });
    const jobIds: string[] = [];
    for (const e of episodes) {
      jobIds.push(...(await post(e)));
    }
    expect(new Set(jobIds).size).toBe(jobIds.length);
    const states = await settleJobs(service.sync, jobIds);
    expect(states.filter((s) => s.state !== 'completed').map((s) => `${s.id}: ${s.state}`)).toEqual([]);
    await expectIsolated(realEhrLookup(), episodes, CLINIC);
  });
});

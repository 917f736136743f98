/**
 * A conditional update that raced at the server: the server resolved the entry's key, another request
 * wrote a resource under that key meanwhile, and the server refused the entry with 400 naming
 * `<Type>.id` (Medplum: "Resource ID did not match resolved ID" — its batch resolves every conditional
 * entry before it runs them). The body sent had no id: the job waits and tries again as after a 409
 * conflict (not an attempt), and the episode is delivered — not dead-lettered. The refusal is answered
 * by a fault proxy in front of the sandbox, as the real server answered it in the real-server matrix.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { createSyncEngine, type SyncEngine } from '../../queues/sync-engine.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { fault, startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { testCodec } from './helpers/codec.js';
import { cleanupPrefix, testPrefix, testRedisEndpoint } from './helpers/redis.js';
import { countByIdentifier, syntheticSubmission } from './helpers/sandbox.js';
import { entryKeys, referencesIn } from './helpers/sync-harness.js';

let sandbox: RunningSandbox;
let proxy: FaultProxy;
let engine: SyncEngine;
const prefix = testPrefix();
const clinicId = 'clinic-race';
const submission = syntheticSubmission({ clinicId, episodeId: 'ep-race', version: 1 });

/** The type of the Bundle's first entry that references no other entry: the first one the writer sends. */
function firstSentType(bundle: Bundle): string {
  const first = (bundle.entry ?? []).find((e) => !referencesIn(e.resource).some((r) => r.startsWith('urn:uuid:')));
  return first?.resource?.resourceType as string;
}

beforeAll(async () => {
  sandbox = await startSandbox({ transactions: true });
  const type = firstSentType(submission.bundle);
  const raced: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'invalid', details: { text: 'Resource ID did not match resolved ID' }, expression: [`${type}.id`] }],
  };
  proxy = await startFaultProxy(sandbox.baseUrl, {
    seed: 1,
    rules: [
      {
        method: 'POST',
        path: /^\/$/,
        times: 1,
        fault: fault.status(200, { body: { resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '400 Bad Request', outcome: raced } }] } }),
      },
    ],
  });
  engine = createSyncEngine({
    redis: testRedisEndpoint(),
    prefix,
    codec: testCodec(),
    // One attempt: a refusal counted as an attempt would be the dead letter.
    policy: { attempts: 1, backoffMs: 50 },
    lockRetryMs: 50,
    targets: [{ id: 'ehr-race', clinicId, type: 'fhir', roles: ['ehr'], url: proxy.baseUrl, transaction: 'batch' }],
  });
  await engine.startWorkers();
});

afterAll(async () => {
  await engine?.close();
  await proxy?.close();
  await sandbox?.close();
  await cleanupPrefix(prefix);
});

test('a 400 naming <Type>.id on an entry sent without id is retried as a conflict: delivered once, no dead letter', async () => {
  const { jobIds } = await engine.submitEpisode(submission);
  const [s] = await engine.settle(jobIds, 120000);
  expect(proxy.log.filter((r) => r.fault === 'status')).toHaveLength(1);
  expect({ state: s.state, status: s.result?.status, deadLetter: s.deadLetter?.code }).toEqual({ state: 'completed', status: 'delivered', deadLetter: undefined });
  expect(await engine.listDeadLetters(clinicId)).toEqual([]);
  for (const { type, token } of entryKeys(submission.bundle)) {
    const [system, value] = [token.slice(0, token.lastIndexOf('|')), token.slice(token.lastIndexOf('|') + 1)];
    expect({ token, n: await countByIdentifier(sandbox.controls, type, system, value) }).toEqual({ token, n: 1 });
  }
});

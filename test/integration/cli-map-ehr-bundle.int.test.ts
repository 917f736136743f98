/**
 * Issue 12: `kap-fhir map FILE --clinic X` prints exactly the Bundle the EHR receives when clinic X sends
 * the episode — the service's own pipeline (src/pipeline), signals included. Each example is posted to the
 * real service (real Redis, the sandbox EHR) as clinic-a; the Bundle the sync engine enqueued for the EHR
 * (the job's payload, read back from the engine's store) is compared with what the binary prints for
 * `--clinic clinic-a`, and each DetectedIssue it prints has its alert job.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { REPO_ROOT } from './helpers/sandbox.js';

const CLINIC = 'clinic-a';
/** One example with safety signals, one without. */
const EXAMPLES = ['urgent-signals.json', 'iv-ketamine-trd.json'];

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

/** The Bundle an enqueued ehr-sync job carries (its payload, as the worker reads it). */
async function enqueuedBundle(jobId: string): Promise<Bundle | undefined> {
  for (const queue of h.service.sync.queues()) {
    const job = await queue.getJob(jobId);
    if (job) {
      return h.service.sync.store.getPayload(job.data.payloadKey);
    }
  }
  return undefined;
}

describe('kap-fhir map --clinic X', () => {
  test.each(EXAMPLES)('%s: prints the Bundle the sync engine enqueued for the EHR of clinic X, signals included', async (file) => {
    const path = join(REPO_ROOT, 'examples', file);
    const [posted, printed] = await Promise.all([
      h.call('/v1/episodes', { method: 'POST', as: 'a', json: JSON.parse(readFileSync(path, 'utf8')) }),
      runCli(['map', path, '--clinic', CLINIC]),
    ]);
    expect(posted.status).toBe(202);
    const { jobIds } = (await posted.json()) as { jobIds: string[] };
    const ehrJob = jobIds.find((id) => id.startsWith('ehr_a-ehr_')) as string;
    expect(ehrJob).toBeDefined();
    const enqueued = await enqueuedBundle(ehrJob);
    expect(enqueued).toBeDefined();

    expect({ status: printed.status, stderr: printed.stderr }).toEqual({ status: 0, stderr: '' });
    const bundle = JSON.parse(printed.stdout) as Bundle;
    expect(bundle).toEqual(enqueued);

    // The signals come from the same step: one alert job (clinic-a's alert target) per DetectedIssue printed.
    const issues = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'DetectedIssue');
    expect(jobIds.filter((id) => id.startsWith('alert_a-rx_'))).toHaveLength(issues.length);
    if (file === 'urgent-signals.json') {
      expect(issues.length).toBeGreaterThan(0);
    }
  });
});

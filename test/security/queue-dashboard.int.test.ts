/**
 * Security review (issue 10), the queue dashboard (bull-board at /admin/queues): an operator can
 * retry, promote and remove jobs, but not write job contents — no job added by hand (another
 * clinic's payload key in one clinic's queue), no job data edited, no duplicate (the UI's duplicate
 * is an add), no job scheduler template written. Real service, real Redis, the sandbox EHR.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { exampleEpisodes, settleJob, startApiHarness, type ApiHarness } from '../integration/api-harness.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Posts an example episode as clinic A; returns its EHR job id. */
async function postEpisode(id: string): Promise<string> {
  const [, json] = exampleEpisodes()[0] as [string, Record<string, unknown>];
  const res = await h.call('/v1/episodes', { method: 'POST', json: { ...json, id, version: 1 } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { jobIds: string[] }).jobIds.find((j) => j.startsWith('ehr_')) as string;
}

function queue(name: string) {
  const q = h.service.sync.queues().find((x) => x.name === name);
  if (!q) {
    throw new Error(`no queue ${name}`);
  }
  return q;
}

async function expectForbidden(res: Response): Promise<void> {
  expect(res.status).toBe(403);
  const body = (await res.json()) as OperationOutcome;
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue?.[0]?.code).toBe('forbidden');
}

describe('job contents are read-only', () => {
  test('adding a job by hand (another clinic\'s payload key in clinic B\'s queue) → 403, nothing added', async () => {
    const aJob = await postEpisode('ep-dash-add');
    expect((await settleJob(h, aJob)).state).toBe('completed');
    const aData = (await queue('ehr-sync-a-ehr').getJob(aJob))?.data;
    expect(aData?.payloadKey).toContain(':payload:clinic-a:');
    const before = await queue('ehr-sync-b-ehr').getJobCounts();
    const forged = { ...aData, clinicId: 'clinic-b', targetId: 'b-ehr' };
    const jobId = aJob.replace('_a-ehr_', '_b-ehr_');
    for (const path of ['add', 'ADD', 'add/']) {
      await expectForbidden(
        await h.call(`/admin/queues/api/queues/ehr-sync-b-ehr/${path}`, {
          method: 'POST',
          as: 'admin',
          json: { name: 'episode', data: forged, options: { jobId } },
        })
      );
    }
    expect(await queue('ehr-sync-b-ehr').getJob(jobId)).toBeUndefined();
    expect(await queue('ehr-sync-b-ehr').getJobCounts()).toEqual(before);
  });

  test('editing a job\'s data → 403, the data is unchanged', async () => {
    const jobId = await postEpisode('ep-dash-edit');
    expect((await settleJob(h, jobId)).state).toBe('completed');
    const before = (await queue('ehr-sync-a-ehr').getJob(jobId))?.data;
    await expectForbidden(
      await h.call(`/admin/queues/api/queues/ehr-sync-a-ehr/${jobId}/update-data`, {
        method: 'PATCH',
        as: 'admin',
        json: { jobData: { ...before, payloadKey: `${h.prefix}:sync:payload:clinic-b:episode-x-v1` } },
      })
    );
    expect((await queue('ehr-sync-a-ehr').getJob(jobId))?.data).toEqual(before);
  });

  test('job scheduler templates (job data) cannot be written either', async () => {
    await expectForbidden(
      await h.call('/admin/queues/api/queues/ehr-sync-a-ehr/job-schedulers/s1', {
        method: 'PATCH',
        as: 'admin',
        json: { pattern: '* * * * *', data: {} },
      })
    );
    await expectForbidden(await h.call('/admin/queues/api/queues/ehr-sync-a-ehr/job-schedulers/s1/run', { method: 'PUT', as: 'admin' }));
  });

  test('reading still works', async () => {
    const res = await h.call('/admin/queues/api/queues', { as: 'admin' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toContain('ehr-sync-a-ehr');
  });
});

describe('operations stay', () => {
  test('retry of a failed job works, and it is then delivered', async () => {
    const fault = h.sandbox.controls.fail({ path: '^/EpisodeOfCare', status: 422 });
    const jobId = await postEpisode('ep-dash-retry');
    expect((await settleJob(h, jobId)).state).toBe('failed');
    h.sandbox.controls.clearFaults();
    void fault;
    const res = await h.call(`/admin/queues/api/queues/ehr-sync-a-ehr/${jobId}/retry`, { method: 'PUT', as: 'admin' });
    expect(res.status).toBeLessThan(300);
    expect((await settleJob(h, jobId)).state).toBe('completed');
  });

  test('remove (clean) of a job works', async () => {
    const jobId = await postEpisode('ep-dash-clean');
    expect((await settleJob(h, jobId)).state).toBe('completed');
    const res = await h.call(`/admin/queues/api/queues/ehr-sync-a-ehr/${jobId}/clean`, { method: 'PUT', as: 'admin' });
    expect(res.status).toBeLessThan(300);
    expect(await queue('ehr-sync-a-ehr').getJob(jobId)).toBeUndefined();
  });

  test('promote of delayed jobs answers (nothing delayed: a no-op)', async () => {
    const res = await h.call('/admin/queues/api/queues/ehr-sync-a-ehr/promote', { method: 'PUT', as: 'admin' });
    expect(res.status).toBeLessThan(300);
  });
});

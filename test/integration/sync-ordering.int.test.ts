/**
 * Ordering and single flight: a later version is never overwritten by an earlier one arriving late;
 * a newer version supersedes a queued older one; one write per (target, record) at a time even
 * against a target whose conditional writes race.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Resource } from '@medplum/fhirtypes';
import { clinicIdentifierSystem, kapExtension } from '../../src/terminology/systems.js';
import { syntheticSubmission, until } from './helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

type Eoc = Resource & { extension?: { url: string; valueInteger?: number }[] };
const versionAt = async (h: SyncHarness, episodeId: string): Promise<number[]> => {
  const found = await h.sandbox.controls.find<Eoc>('EpisodeOfCare', `${clinicIdentifierSystem(h.clinicId)}|${episodeId}`);
  return found.map((e) => e.extension?.find((x) => x.url === kapExtension('kap-source-version'))?.valueInteger ?? 0);
};

describe('sync ordering', () => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('version 2 enqueued before version 1: the target ends with version 2', async () => {
    h = await startSyncHarness({ workers: false });
    const v2 = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-o', version: 2, heartRate: 90 }));
    const v1 = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-o', version: 1, heartRate: 60 }));
    await h.engine.startWorkers();
    const statuses = await h.engine.settle([...v2.jobIds, ...v1.jobIds]);
    expect(statuses.map((s) => [s.version, s.result?.status])).toEqual([[2, 'delivered'], [1, 'superseded']]);
    expect(await versionAt(h, 'ep-o')).toEqual([2]);
    // And a late v1 after v2 was delivered changes nothing either.
    const late = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-o', version: 1 }));
    const [s] = await h.engine.settle(late.jobIds);
    expect(s.result?.status).toBe('superseded');
    expect(await versionAt(h, 'ep-o')).toEqual([2]);
    // v1 was never written: the EpisodeOfCare has one version at the target.
    const [eoc] = await h.sandbox.controls.find<Resource>('EpisodeOfCare');
    const history = (await (await fetch(`${h.sandbox.baseUrl}/EpisodeOfCare/${eoc.id}/_history`)).json()) as { entry?: unknown[] };
    expect(history.entry).toHaveLength(1);
  });

  test('a newer version supersedes an older one still queued', async () => {
    h = await startSyncHarness({ workers: false });
    const v1 = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-q', version: 1 }));
    const v2 = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-q', version: 2 }));
    expect(await h.engine.jobStatus(v1.jobIds[0])).toBeUndefined(); // removed from the queue
    await h.engine.startWorkers();
    const [s] = await h.engine.settle(v2.jobIds);
    expect(s.result?.status).toBe('delivered');
    expect(await versionAt(h, 'ep-q')).toEqual([2]);
  });

  test('one in-flight write per (target, record): a newer version waits for the running older one', async () => {
    // One by one (no transaction): without the record lock, v3 would run beside v2 and v2's later
    // writes would land after v3's.
    h = await startSyncHarness({ transactions: false, engine: { concurrency: 4 } });
    const submit = (version: number): Promise<{ jobIds: string[] }> =>
      h!.engine.submitEpisode(syntheticSubmission({ clinicId: h!.clinicId, episodeId: 'ep-r', version, heartRate: 60 + version }));
    await h.engine.settle((await submit(1)).jobIds);
    // v2 changes a heart rate: its Observation write is held; v3 arrives meanwhile and must wait for v2.
    const held = h.sandbox.controls.fail({ method: 'PUT', path: '^/Observation\\?', delayMs: 400, times: 1 });
    const v2 = await submit(2);
    await until(() => h!.sandbox.controls.requests.some((r) => r.faultId === held));
    const v3 = await submit(3);
    const statuses = await h.engine.settle([...v2.jobIds, ...v3.jobIds]);
    expect(statuses.map((s) => s.result?.status)).toEqual(['delivered', 'delivered']);
    const eocPuts = h.sandbox.controls.requests.filter((r) => r.method === 'PUT' && r.url.startsWith('/EpisodeOfCare?'));
    expect(eocPuts).toHaveLength(3);
    const heldWrite = h.sandbox.controls.requests.find((r) => r.faultId === held);
    // v3's first write (its EpisodeOfCare) starts after v2's held write ended.
    expect(eocPuts[2].startedAt).toBeGreaterThanOrEqual(heldWrite?.endedAt as number);
    expect(await versionAt(h, 'ep-r')).toEqual([3]);
    expect(await h.sandbox.controls.find('Patient')).toHaveLength(1);
  });

  test('two episodes of the same patient at once: the shared Patient and Organization are created once', async () => {
    h = await startSyncHarness({ transactions: false, engine: { concurrency: 4 } });
    h.sandbox.controls.repo.racyConditionalWrites = true;
    h.sandbox.controls.fail({ method: 'PUT', path: '^/Organization\\?', delayMs: 300, times: 2 });
    const submitted = await Promise.all(
      ['ep-s1', 'ep-s2'].map((episodeId) =>
        h!.engine.submitEpisode(syntheticSubmission({ clinicId: h!.clinicId, episodeId, patientId: 'pat-shared' }))
      )
    );
    const statuses = await h.engine.settle(submitted.flatMap((r) => r.jobIds));
    expect(statuses.map((s) => s.result?.status)).toEqual(['delivered', 'delivered']);
    expect(await h.sandbox.controls.find('Organization')).toHaveLength(1);
    expect(await h.sandbox.controls.find('Patient')).toHaveLength(1);
    expect(await h.sandbox.controls.find('EpisodeOfCare')).toHaveLength(2);
  });
});

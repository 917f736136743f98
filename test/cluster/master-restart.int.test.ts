/**
 * The delivery engine on a Redis Cluster whose master is restarted mid-run. A steady stream of episodes is
 * submitted while workers deliver them to the sandbox EHR (through the recording proxy, which counts each
 * entry the EHR received); the master that owns the prefix's slot is killed (SIGKILL) and started again on
 * its AOF (`appendfsync always`). Every submission the engine accepted (submitEpisode resolved) reaches the
 * EHR exactly once — each resource created once, found once — with no dead letter; a submission refused
 * during the outage (the caller saw an error, as an API client would see a 503) leaves no duplicate either.
 * And the key layout: every key the run wrote hashes to the prefix's one slot.
 *
 * This file starts a cluster of its own (test/helpers/redis-cluster.ts): restarting a master of the suite's
 * shared cluster would disturb the other files running beside it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle } from '@medplum/fhirtypes';
import { createSyncEngine, type SyncEngine } from '../../queues/sync-engine.js';
import { UntaggedClusterPrefixError } from '../../queues/engine-redis.js';
import { clusterPrefix, createRedisClient, hashTag, type RedisClient, type RedisEndpoint } from '../../src/redis-client.js';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster.js';
import { SETTLE_TIMEOUT_MS, TARGET_TIMEOUT_MS } from '../helpers/timeouts.js';
import { testCodec } from '../integration/helpers/codec.js';
import { startRecordingProxy, type RecordingProxy } from '../integration/helpers/recording-proxy.js';
import { keysMatching } from '../integration/helpers/redis.js';
import { countByIdentifier, startSandbox, syntheticSubmission, type RunningSandbox } from '../integration/helpers/sandbox.js';
import { entryKeys } from '../integration/helpers/sync-harness.js';

const CLINIC = 'clinic-a';
/** Episodes submitted in all; the master is killed once a third of them were accepted. */
const EPISODES = 30;
/** Pause between two submissions (a steady stream, not a burst). */
const PACE_MS = 60;

/** One submission of the stream and what became of it. */
interface Submitted {
  episodeId: string;
  bundle: Bundle;
  /** The engine's job ids; undefined: refused (submitEpisode threw). */
  jobIds?: string[];
  /** Submitted once the restarted master was back and the cluster ok. */
  afterRestart: boolean;
}

describe('Redis Cluster: a master restarted mid-run', () => {
  let cluster: LocalRedisCluster;
  let endpoint: RedisEndpoint;
  let sandbox: RunningSandbox;
  let proxy: RecordingProxy;
  let engine: SyncEngine;
  let redis: RedisClient;
  const prefix = clusterPrefix(`kap-restart-${process.pid}`);
  const stream: Submitted[] = [];
  let restartedPort = 0;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    endpoint = { kind: 'cluster', nodes: cluster.nodes };
    redis = createRedisClient(endpoint);
    sandbox = await startSandbox({ transactions: true });
    proxy = await startRecordingProxy(sandbox.baseUrl);
    engine = createSyncEngine({
      redis: endpoint,
      prefix,
      codec: testCodec(),
      // Enough attempts to outlast the outage; locks short enough that a job whose completion was lost
      // with the master is taken over soon (as sync-crash.int.test.ts does for a killed worker).
      policy: { attempts: 12, backoffMs: 200 },
      lockRetryMs: 50,
      lockDurationMs: 5000,
      stalledIntervalMs: 1000,
      recordLockTtlMs: 5000,
      targets: [{ id: 'ehr-main', clinicId: CLINIC, type: 'fhir', roles: ['ehr'], url: proxy.baseUrl, timeoutMs: TARGET_TIMEOUT_MS }],
    });
    await engine.startWorkers();
  });

  afterAll(async () => {
    await engine?.close();
    redis?.disconnect();
    await proxy?.close();
    await sandbox?.close();
    await cluster?.stop();
  });

  test('an untagged prefix is refused on a cluster', () => {
    expect(() => createSyncEngine({ redis: endpoint, prefix: 'kap-untagged', codec: testCodec(), targets: [] })).toThrow(UntaggedClusterPrefixError);
  });

  test(
    'SIGKILL of the slot owner mid-stream: every accepted episode delivered exactly once, no dead letter',
    async () => {
      restartedPort = await cluster.masterPortForKey(`${prefix}:sync:latest:x`);
      let restart: Promise<void> | undefined;
      let restartDone = false;
      let inFlightAtKill = 0;
      // EPISODES in all, and more while the master is not back: the stream runs across the whole outage.
      for (let i = 0; i < EPISODES || (restart && !restartDone); i++) {
        const episodeId = `ep-restart-${i}`;
        const submission = syntheticSubmission({ clinicId: CLINIC, episodeId, dosingSessions: 1 });
        const s: Submitted = { episodeId, bundle: submission.bundle, afterRestart: restartDone };
        stream.push(s);
        try {
          s.jobIds = (await engine.submitEpisode(submission)).jobIds;
        } catch {
          // refused while the slot had no master: the caller knows it was not accepted
        }
        if (!restart && stream.filter((x) => x.jobIds).length >= EPISODES / 3) {
          const counts = Object.values(await engine.queueCounts())[0] ?? {};
          inFlightAtKill = (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
          restart = cluster.restartMaster(restartedPort, 'kill').then(() => {
            restartDone = true;
          });
        }
        await new Promise((r) => setTimeout(r, PACE_MS));
      }
      await restart;
      process.stdout.write(
        `master restart: ${stream.length} submitted, ${stream.filter((s) => !s.jobIds).length} refused during the outage, ` +
          `${inFlightAtKill} jobs queued or running at the kill\n`
      );
      // Accepted before the kill and after the master was back.
      expect(stream.some((s) => s.afterRestart && s.jobIds)).toBe(true);

      const accepted = stream.filter((s) => s.jobIds);
      // Most of the stream was accepted (before the kill, and after the master came back).
      expect(accepted.length).toBeGreaterThanOrEqual(EPISODES / 3);
      const statuses = await engine.settle(accepted.flatMap((s) => s.jobIds as string[]), SETTLE_TIMEOUT_MS);
      expect(statuses.map((s) => [s.recordId, s.state, s.result?.status ?? s.deadLetter?.code ?? s.failedReason])).toEqual(
        statuses.map((s) => [s.recordId, 'completed', 'delivered'])
      );
      expect(statuses).toHaveLength(accepted.length);
      expect(await engine.listDeadLetters()).toEqual([]);

      // At the EHR: each accepted episode's resources are there once; no submission left a duplicate.
      for (const s of stream) {
        for (const { type, token } of entryKeys(s.bundle)) {
          const [system, value] = token.split('|') as [string, string];
          const n = await countByIdentifier(sandbox.controls, type, system, value);
          if (s.jobIds) {
            expect([s.episodeId, type, n]).toEqual([s.episodeId, type, 1]);
          } else {
            expect(n).toBeLessThanOrEqual(1);
          }
        }
      }
      // And through the proxy: no entry was created twice (a redone delivery finds what the first wrote).
      const created = new Map<string, number>();
      for (const w of proxy.writes().filter((e) => e.status === 201)) {
        created.set(w.url, (created.get(w.url) ?? 0) + 1);
      }
      expect([...created].filter(([, n]) => n > 1)).toEqual([]);
      expect(proxy.writes().filter((w) => (w.status ?? 0) >= 400)).toEqual([]);
    },
    SETTLE_TIMEOUT_MS * 2
  );

  test('key layout: every key the run wrote lives in the prefix slot, on one master', async () => {
    const keys = await keysMatching(redis, `${prefix}*`);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.some((k) => k.startsWith(`${prefix}:sync:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:ehr-sync-`))).toBe(true); // BullMQ's own
    expect(new Set(keys.map(hashTag))).toEqual(new Set([hashTag(prefix)]));
    const node = createRedisClient({ kind: 'single', url: `redis://127.0.0.1:${restartedPort}` });
    try {
      const slot = Number(await node.call('CLUSTER', 'KEYSLOT', prefix));
      const slots = new Set<number>();
      for (const k of keys) {
        slots.add(Number(await node.call('CLUSTER', 'KEYSLOT', k)));
      }
      expect([...slots]).toEqual([slot]);
      // The owner of that slot holds them all (the restarted master, back with its AOF).
      expect(await cluster.masterPortForKey(prefix)).toBe(restartedPort);
      expect(Number(await node.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot)))).toBe(keys.length);
    } finally {
      node.disconnect();
    }
  });
});

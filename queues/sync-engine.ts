/**
 * The sync engine: built from targets + a Redis connection + a key prefix (several can run side by
 * side: tests, the service, the benchmark). Turns submissions into delivery jobs on the per-target
 * queues (queues/), and answers job status, dead letters and replay — all clinic-scoped: another
 * clinic's job id is "not found".
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Queue, type Job, type JobsOptions, type Worker } from 'bullmq';
import type { RedisEndpoint } from '../src/redis-client.js';
import { engineRedis, type RedisSettings } from './engine-redis.js';
import type { AtRestCodec } from '../src/crypto/at-rest-codec.js';
import { alertsQueue, ALERTS_QUEUE } from './alerts.js';
import {
  deliveryJobId,
  parseDeliveryJobId,
  queueName,
  type DeliveryQueue,
  type QueueKind,
  type RetryPolicy,
} from './delivery-queue.js';
import { ehrSyncQueue, EHR_SYNC_QUEUE } from './ehr-sync.js';
import { prescriberDeliveryQueue, PRESCRIBER_DELIVERY_QUEUE } from './prescriber-delivery.js';
import { FHIR_ID } from '../src/fhir-id.js';
import { episodeRecordId, payloadName } from '../src/identity/record-identity.js';
import { log } from '../src/log.js';
import { notFound, OperationOutcomeError, badRequest } from '../src/outcomes.js';
import { prescriberDeliveries } from '../src/sync/prescriber-deliveries.js';
import { signalDeliveries } from '../src/sync/signal-deliveries.js';
import { parseTargets, type TargetConfig, type TargetInput, type TargetRole } from '../src/sync/config.js';
import { targetRuntime, type DeliveryContext, type DeliveryJob, type DeliveryResult, type TargetRuntime } from '../src/sync/delivery.js';
import { reconcileTarget, type ReconcileFilter, type ReconcileReport } from '../src/sync/reconcile.js';
import { DeliveryStore, type DeadLetter, type DeliveryRef, type DeliveryLogEntry, type RecordType } from '../src/sync/delivery-store.js';


/** The delivery queue modules by kind. */
const DELIVERY_QUEUES: Record<QueueKind, DeliveryQueue<DeliveryJob>> = {
  [EHR_SYNC_QUEUE]: ehrSyncQueue as unknown as DeliveryQueue<DeliveryJob>,
  [PRESCRIBER_DELIVERY_QUEUE]: prescriberDeliveryQueue as unknown as DeliveryQueue<DeliveryJob>,
  [ALERTS_QUEUE]: alertsQueue as unknown as DeliveryQueue<DeliveryJob>,
};
export type { RedisSettings } from './engine-redis.js';

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  /** Redis: one server (settings or a `single` endpoint; default 127.0.0.1:6379) or a cluster endpoint. */
  redis?: RedisSettings | RedisEndpoint;
  /** Key prefix of every key the engine and its queues write; on a cluster it must carry a hash tag (`{kap}`). */
  prefix: string;
  /**
   * Seals what the engine keeps at rest: the payloads (the Bundles: PHI) and the dead letters. Every
   * process of a deployment (API, workers, `kap-fhir rekey`) needs the same keyring.
   */
  codec: AtRestCodec;
  /** Delivery targets (validated here). */
  targets: (TargetInput | TargetConfig)[];
  /**
   * What the service adds to each prescriber Bundle before it is queued (the signed view link of issue 14,
   * src/api/view/prescriber-link.ts `withViewLink`); absent: the Bundle goes as it was cut.
   */
  prescriberBundle?: (clinicId: string, bundle: Bundle, requestId?: string) => Promise<Bundle>;
  /** Attempts and first backoff delay (default 8 attempts, 1 s doubling). */
  policy?: Partial<RetryPolicy>;
  /** TTL of stored Bundles (default 7 days). */
  payloadTtlSeconds?: number;
  /** How long delivery log lines are kept (default 30 days). */
  deliveryLogTtlSeconds?: number;
  /** Jobs in flight per worker for ehr-sync and prescriber-delivery (default 8). */
  concurrency?: number;
  /** Jobs in flight per alerts worker (default 4). */
  alertConcurrency?: number;
  /** BullMQ lock duration (default 30 s): a crashed worker's job is taken over after it. */
  lockDurationMs?: number;
  /** Stalled-job check interval (default 30 s). */
  stalledIntervalMs?: number;
  /** Record lock TTL, kept alive while a write runs (default 15 s). */
  recordLockTtlMs?: number;
  /** Wait before retrying a busy record (default 100 ms). */
  lockRetryMs?: number;
  /** Longest 429/503 Retry-After honoured; a longer one is cut to it and counts as an attempt (default 1 h). */
  maxRetryAfterMs?: number;
  /** 429/503 waits per job that are not attempts; later ones are (default 20). */
  maxRateLimitWaits?: number;
}

/** Status of one job. */
export interface JobStatus extends DeliveryRef {
  id: string;
  /** BullMQ state: waiting, delayed, prioritized, active, completed, failed, unknown. */
  state: string;
  attemptsMade: number;
  result?: DeliveryResult;
  /** Set when the job is in the dead letters. */
  deadLetter?: DeadLetter;
  /** Why a failed job failed: the delivery's code (or BullMQ's, e.g. a job stalled too often). */
  failedReason?: string;
  requestId?: string;
  createdAt: string;
  finishedAt?: string;
}

/**
 * An episode version handed to the engine: who, which episode, which version, and the transaction Bundle
 * the EHR receives (src/pipeline maps it). The engine reads nothing back out of the Bundle's identifiers.
 */
export interface EpisodeSubmission {
  /** The tenant: the clinic whose targets receive the episode. */
  clinicId: string;
  /** The clinic's episode id (a FHIR id). */
  episodeId: string;
  /** The episode's source version (≥ 1): job ids and ordering are per version. */
  version: number;
  /** The episode's transaction Bundle. */
  bundle: Bundle;
  /** The episode's safety signals (DetectedIssue + Communication, src/safety), sent on the alert targets too. */
  signals?: readonly Resource[];
  /** The request that submitted it (travels with the jobs). */
  requestId?: string;
}

/** Safety signals of an episode version handed to the engine. */
export interface SignalSubmission {
  clinicId: string;
  /** The episode the signals were detected in (a signal's identifier without episode scope takes it). */
  episodeId: string;
  /** The episode's version: a new version re-sends the signals, an unchanged one is a no-op at the worker. */
  version: number;
  /** The signals (DetectedIssue + Communication), as resources or a Bundle. */
  signals: Bundle | readonly Resource[];
  /** The episode Bundle the signals' references point into. */
  episode?: Bundle;
  requestId?: string;
}

/** The engine. */
export interface SyncEngine {
  readonly targets: readonly TargetConfig[];
  readonly store: DeliveryStore;
  /**
   * Enqueues an episode version: one ehr-sync job per EHR target of the clinic, one prescriber-delivery
   * job per dosing session and prescriber target, then its signals as {@link SyncEngine.submitSignals} does.
   * @returns the job ids, episode jobs first
   * @throws OperationOutcomeError (400) when the submission is not an episode transaction Bundle
   */
  submitEpisode(submission: EpisodeSubmission): Promise<{ jobIds: string[] }>;
  /** Enqueues safety signals on the alerts queues of the clinic's alert targets (priority by severity). */
  submitSignals(submission: SignalSubmission): Promise<{ jobIds: string[] }>;
  /** A job's status, or undefined (unknown id, or another clinic's). */
  jobStatus(id: string, clinicId?: string): Promise<JobStatus | undefined>;
  /** Dead letters (of one clinic, or all). */
  listDeadLetters(clinicId?: string): Promise<DeadLetter[]>;
  /**
   * Sends a dead-lettered job again (attempts reset).
   * @throws OperationOutcomeError not found (unknown / other clinic) or 400 (not dead-lettered)
   */
  replay(id: string, clinicId?: string): Promise<{ jobId: string }>;
  /** The delivery log of a clinic. */
  deliveryLog(clinicId: string): Promise<DeliveryLogEntry[]>;
  /**
   * Reads back at a FHIR target every resource of the last delivered version of its records (of one
   * clinic / episode) and reports missing, duplicated and different ones (src/sync/reconcile.ts).
   * @throws OperationOutcomeError not found (unknown target, or another clinic's) or 400 (not a FHIR target)
   */
  reconcile(targetId: string, filter?: ReconcileFilter & { callerClinicId?: string }): Promise<ReconcileReport>;
  /** Waits until the jobs are completed or failed (polling); returns their statuses. */
  settle(jobIds: string[], timeoutMs?: number): Promise<JobStatus[]>;
  /** The BullMQ queues of every target and role (for dashboards and metrics). */
  queues(): Queue<DeliveryJob, DeliveryResult>[];
  /** Job counts per queue (waiting, active, delayed, prioritized, completed, failed). */
  queueCounts(): Promise<Record<string, Record<string, number>>>;
  /** Starts the workers of every target queue (kinds: all by default). */
  startWorkers(kinds?: QueueKind[]): Promise<Worker[]>;
  /** Closes workers (in-flight jobs finish), queues and connections. */
  close(): Promise<void>;
}

const ROLE_QUEUE: Record<TargetRole, QueueKind> = {
  ehr: EHR_SYNC_QUEUE,
  prescriber: PRESCRIBER_DELIVERY_QUEUE,
  alerts: ALERTS_QUEUE,
};
const REPLACEABLE = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * The submission, checked: an episode id that can name a record and a version ≥ 1 (they make the job
 * ids), and a transaction Bundle.
 * @throws OperationOutcomeError (400) naming the field
 */
function checkedSubmission(s: EpisodeSubmission): EpisodeSubmission {
  const { bundle } = s;
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction' || !Array.isArray(bundle.entry)) {
    throw new OperationOutcomeError(badRequest('Expected a transaction Bundle', 'Bundle.type'));
  }
  if (!FHIR_ID.test(s.episodeId)) {
    throw new OperationOutcomeError(badRequest('Invalid episode id', 'episodeId'));
  }
  if (!Number.isInteger(s.version) || s.version < 1) {
    throw new OperationOutcomeError(badRequest('Invalid source version', 'version'));
  }
  return s;
}

/**
 * Creates a sync engine (no worker runs until `startWorkers()`).
 * @param options - see {@link SyncEngineOptions}
 * @throws UntaggedClusterPrefixError on a Redis Cluster with a prefix that has no hash tag
 * @returns the engine
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const targets = parseTargets(options.targets);
  const redis = engineRedis(options.redis, options.prefix);
  const connection = redis.connection;
  const store = new DeliveryStore(
    redis.store,
    options.prefix,
    options.payloadTtlSeconds ?? 7 * 86400,
    options.deliveryLogTtlSeconds ?? 30 * 86400,
    options.codec
  );
  const policy: RetryPolicy = { attempts: options.policy?.attempts ?? 8, backoffMs: options.policy?.backoffMs ?? 1000 };
  const runtimes = new Map<string, TargetRuntime>(targets.map((t) => [t.id, targetRuntime(t)]));
  const ctx: DeliveryContext = {
    store,
    targets: runtimes,
    settings: {
      recordLockTtlMs: options.recordLockTtlMs ?? 15000,
      lockRetryMs: options.lockRetryMs ?? 100,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 3600000,
      maxRateLimitWaits: options.maxRateLimitWaits ?? 20,
    },
  };
  const queues = new Map<string, Queue<DeliveryJob, DeliveryResult>>();
  const workers: Worker[] = [];

  const queueFor = (kind: QueueKind, targetId: string): Queue<DeliveryJob, DeliveryResult> => {
    const name = queueName(kind, targetId);
    let q = queues.get(name);
    if (!q) {
      q = new Queue<DeliveryJob, DeliveryResult>(name, { connection, prefix: options.prefix });
      q.on('error', (err) => log.error({ queue: name, code: (err as { code?: string }).code }, 'queue connection error'));
      queues.set(name, q);
    }
    return q;
  };

  const enqueue = async (
    kind: QueueKind,
    target: TargetConfig,
    recordId: string,
    version: number,
    payloadKey: string,
    requestId: string | undefined,
    payload: Bundle,
    extra: JobsOptions = {}
  ): Promise<string> => {
    const recordType = DELIVERY_QUEUES[kind].recordType;
    const queue = queueFor(kind, target.id);
    const previous = await store.bumpLatest(target.id, recordType, recordId, version);
    if (previous > 0 && previous < version) {
      // A newer version supersedes an older one still queued (one running finishes; the record lock orders them).
      const old = await queue.getJob(deliveryJobId(kind, target.id, recordId, previous));
      if (old && REPLACEABLE.has(await old.getState())) {
        await old.remove().catch(() => undefined);
      }
    }
    const data = { clinicId: target.clinicId, targetId: target.id, recordId, version, payloadKey, requestId, entries: payload.entry?.length ?? 0 };
    const delivery = DELIVERY_QUEUES[kind];
    const job: Job = await delivery.enqueue(queue as never, { ...data, recordType: delivery.recordType }, policy, extra);
    return job.id as string;
  };

  const clinicTargets = (clinicId: string, role: TargetRole): TargetConfig[] =>
    targets.filter((t) => t.clinicId === clinicId && t.roles.includes(role));

  const findJob = async (id: string, clinicId?: string): Promise<Job<DeliveryJob, DeliveryResult> | undefined> => {
    const parsed = parseDeliveryJobId(id);
    const target = parsed ? runtimes.get(parsed.targetId)?.config : undefined;
    if (!parsed || !target || (clinicId !== undefined && target.clinicId !== clinicId)) {
      return undefined;
    }
    const job = await queueFor(parsed.kind, parsed.targetId).getJob(id);
    if (!job || (clinicId !== undefined && job.data.clinicId !== clinicId)) {
      return undefined;
    }
    return job;
  };

  const engine: SyncEngine = {
    targets,
    store,

    async submitEpisode(submission) {
      const { clinicId, episodeId, version, bundle, requestId } = checkedSubmission(submission);
      const jobIds: string[] = [];
      const ehr = clinicTargets(clinicId, 'ehr');
      if (ehr.length) {
        const recordId = episodeRecordId(episodeId);
        const key = await store.putPayload(clinicId, payloadName('episode', recordId, version), bundle);
        for (const t of ehr) {
          jobIds.push(await enqueue(EHR_SYNC_QUEUE, t, recordId, version, key, requestId, bundle));
        }
      }
      const rx = clinicTargets(clinicId, 'prescriber');
      if (rx.length) {
        for (const d of prescriberDeliveries(bundle, clinicId, { episodeId, version })) {
          const matching = rx.filter(
            (t) =>
              !t.prescriber ||
              (t.prescriber.npi !== undefined && t.prescriber.npi === d.prescriber.npi) ||
              (t.prescriber.practitionerId !== undefined && t.prescriber.practitionerId === d.prescriber.practitionerId)
          );
          if (!matching.length) {
            continue;
          }
          // Record = episode + session: two episodes of a clinic may reuse a session id (`s-03`).
          const bundleForRx = options.prescriberBundle ? await options.prescriberBundle(clinicId, d.bundle, requestId) : d.bundle;
          const key = await store.putPayload(clinicId, payloadName('dosing', d.recordId, version), bundleForRx);
          for (const t of matching) {
            jobIds.push(await enqueue(PRESCRIBER_DELIVERY_QUEUE, t, d.recordId, version, key, requestId, bundleForRx));
          }
        }
      }
      log.info({ clinicId, requestId, version, jobs: jobIds.length }, 'episode enqueued');
      if (submission.signals?.length) {
        const alerts = await engine.submitSignals({ clinicId, episodeId, version, signals: submission.signals, episode: bundle, requestId });
        jobIds.push(...alerts.jobIds);
      }
      return { jobIds };
    },

    async submitSignals({ clinicId, episodeId, version, signals, episode, requestId }) {
      const jobIds: string[] = [];
      const alertTargets = clinicTargets(clinicId, 'alerts');
      // A signal is versioned with its episode: a new version re-sends it (an unchanged signal is then a
      // no-op at the worker, which skips content it already delivered), a corrected one updates it.
      for (const s of alertTargets.length ? signalDeliveries(signals, clinicId, episodeId, episode) : []) {
        const key = await store.putPayload(clinicId, payloadName('signal', s.recordId, version), s.bundle);
        for (const t of alertTargets) {
          jobIds.push(await enqueue(ALERTS_QUEUE, t, s.recordId, version, key, requestId, s.bundle, { priority: s.priority }));
        }
      }
      log.info({ clinicId, requestId, jobs: jobIds.length }, 'signals enqueued');
      return { jobIds };
    },

    async jobStatus(id, clinicId) {
      let job = await findJob(id, clinicId);
      if (!job) {
        return undefined;
      }
      const state = await job.getState();
      if ((state === 'completed' || state === 'failed') && !job.finishedOn) {
        // Read while it was running: read again for the result.
        job = (await findJob(id, clinicId)) ?? job;
      }
      const deadLetter = state === 'failed' ? await store.getDeadLetter(id) : undefined;
      return {
        id,
        queue: job.queueName,
        clinicId: job.data.clinicId,
        targetId: job.data.targetId,
        recordType: job.data.recordType,
        recordId: job.data.recordId,
        version: job.data.version,
        state,
        attemptsMade: job.attemptsMade,
        result: job.returnvalue ?? undefined,
        deadLetter,
        // The processor throws fixed codes only (and BullMQ's own stalled/lock messages name the job id).
        ...(state === 'failed' && job.failedReason ? { failedReason: job.failedReason } : {}),
        requestId: job.data.requestId,
        createdAt: new Date(job.timestamp).toISOString(),
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
      };
    },

    listDeadLetters: (clinicId) => store.listDeadLetters(clinicId),

    async replay(id, clinicId) {
      const job = await findJob(id, clinicId);
      if (!job) {
        throw new OperationOutcomeError(notFound);
      }
      if ((await job.getState()) !== 'failed') {
        throw new OperationOutcomeError(badRequest('Only a dead-lettered job can be replayed'));
      }
      if (job.data.rateLimitWaits) {
        await job.updateData({ ...job.data, rateLimitWaits: 0 });
      }
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      const dead = await store.getDeadLetter(id);
      if (dead) {
        await store.removeDeadLetter(dead);
      }
      log.info({ jobId: id }, 'dead letter replayed');
      return { jobId: id };
    },

    deliveryLog: (clinicId) => store.deliveryLog(clinicId),

    async reconcile(targetId, filter = {}) {
      const runtime = runtimes.get(targetId);
      if (!runtime || (filter.callerClinicId !== undefined && runtime.config.clinicId !== filter.callerClinicId)) {
        throw new OperationOutcomeError(notFound);
      }
      if (!runtime.fhir) {
        throw new OperationOutcomeError(badRequest('Only a FHIR target can be reconciled', 'target'));
      }
      return reconcileTarget(store, targetId, runtime.fhir, { clinicId: filter.clinicId ?? filter.callerClinicId, episodeId: filter.episodeId });
    },

    async settle(jobIds, timeoutMs = 60000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const statuses = await Promise.all(jobIds.map((id) => engine.jobStatus(id)));
        const done = statuses.every((s) => !s || s.state === 'completed' || s.state === 'failed');
        if (done || Date.now() > deadline) {
          return statuses.filter((s): s is JobStatus => !!s);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },

    queues() {
      // A role listed twice is one queue.
      return [...new Set(targets.flatMap((t) => t.roles.map((role) => queueFor(ROLE_QUEUE[role], t.id))))];
    },

    async queueCounts() {
      const out: Record<string, Record<string, number>> = {};
      for (const t of targets) {
        for (const role of t.roles) {
          const q = queueFor(ROLE_QUEUE[role], t.id);
          out[q.name] = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
        }
      }
      return out;
    },

    async startWorkers(kinds) {
      const started: Worker[] = [];
      for (const t of targets) {
        for (const role of t.roles) {
          const kind = ROLE_QUEUE[role];
          if (kinds && !kinds.includes(kind)) {
            continue;
          }
          const settings = {
            connection,
            prefix: options.prefix,
            concurrency: kind === ALERTS_QUEUE ? (options.alertConcurrency ?? 4) : (options.concurrency ?? 8),
            lockDurationMs: options.lockDurationMs ?? 30000,
            stalledIntervalMs: options.stalledIntervalMs ?? 30000,
            // Always a limiter: BullMQ checks a manual worker.rateLimit() (429 Retry-After) in Redis only
            // when the queue has one (moveToActive: maxJobs), otherwise other slots fetch the job at once.
            // BullMQ's limiter is a fixed window opened by its first job: jobs late in one window and
            // the next `max` at its end made up to 2 × max starts within durationMs. One start per
            // durationMs / max instead: max + 1 starts then span at least durationMs (same throughput).
            limiter: t.rateLimit
              ? { max: 1, duration: Math.ceil(t.rateLimit.durationMs / t.rateLimit.max) }
              : { max: 100000, duration: 1000 },
          };
          const w = DELIVERY_QUEUES[kind].createWorker(ctx, t.id, settings);
          w.on('error', (err) => log.error({ queue: w.name, code: (err as { code?: string }).code }, 'worker error'));
          started.push(w as unknown as Worker);
        }
      }
      workers.push(...started);
      await Promise.all(started.map((w) => w.waitUntilReady()));
      return started;
    },

    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await redis.close();
    },
  };
  return engine;
}

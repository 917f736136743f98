/**
 * Prometheus metrics (prom-client, one registry per app): HTTP requests by route and status,
 * validation failures, jobs by queue and state, delivery latency and dead letters. Queue
 * figures are read from BullMQ when scraped.
 */
import type { NextFunction, Request, Response } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { log } from '../log.js';
import type { SyncEngine } from '../../queues/sync-engine.js';
import { context } from './request-context.js';

/** The API's metrics. */
export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  validationFailures: Counter<'source'>;
  /** Map + validate of a submission, by the thread it ran on (`worker` off the event loop, `main` on it). */
  mapValidate: Histogram<'thread'>;
  deliveryLatency: Histogram<'queue'>;
}

/**
 * Creates the registry and the collectors.
 * @param sync - read at scrape time for job counts, latency and dead letters (optional)
 */
export function createMetrics(sync?: () => Pick<SyncEngine, 'queues' | 'listDeadLetters'> | undefined): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kap_' });
  const requests = new Counter({
    name: 'kap_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'kap_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const validationFailures = new Counter({
    name: 'kap_validation_failures_total',
    help: 'Submissions refused by parsing or profile validation, by source',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const mapValidate = new Histogram({
    name: 'kap_map_validate_seconds',
    help: 'Map + validate of a submission, by the thread it ran on (worker: off the event loop; main: on it)',
    labelNames: ['thread'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const seen = new Map<string, number>();
  // The registry collects every metric at once (concurrently): the histogram observes the newly
  // completed jobs in its own collect, so a scrape shows them (not only the next one).
  const deliveryLatency = new Histogram({
    name: 'kap_delivery_latency_seconds',
    help: 'Time from enqueue to successful delivery, by queue (completed jobs seen at scrape)',
    labelNames: ['queue'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
    async collect() {
      for (const q of sync?.()?.queues() ?? []) {
        // The completed jobs not yet observed (newest 200).
        const done = await q.getJobs(['completed'], 0, 199);
        const since = seen.get(q.name) ?? 0;
        let newest = since;
        for (const j of done) {
          if (j?.finishedOn && j.finishedOn > since) {
            this.observe({ queue: q.name }, (j.finishedOn - j.timestamp) / 1000);
            newest = Math.max(newest, j.finishedOn);
          }
        }
        seen.set(q.name, newest);
      }
    },
  });
  new Gauge({
    name: 'kap_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of sync?.()?.queues() ?? []) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children');
        for (const [state, n] of Object.entries(counts)) {
          this.set({ queue: q.name, state }, n);
        }
      }
    },
  });
  new Gauge({
    name: 'kap_dead_letters',
    help: 'Dead-lettered jobs waiting for an operator',
    registers: [registry],
    async collect() {
      const s = sync?.();
      this.set(s ? (await s.listDeadLetters()).length : 0);
    },
  });
  return { registry, requests, duration, validationFailures, mapValidate, deliveryLatency };
}

/**
 * Middleware recording each request by its route template (never the URL: ids and query strings
 * stay out of labels and logs) and logging one line per request: id, method, route, status, ms.
 */
export function recordRequests(metrics: ApiMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      const ctx = context(res);
      if (!ctx.route) {
        ctx.route = req.originalUrl.startsWith('/sandbox/')
          ? '/sandbox/fhir'
          : req.route?.path
            ? `${req.baseUrl}${String(req.route.path)}`
            : 'unmatched';
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
    res.on('finish', () => {
      const ctx = context(res);
      const route = ctx.route ?? 'unmatched';
      const seconds = ctx.started ? Number(process.hrtime.bigint() - ctx.started) / 1e9 : 0;
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.duration.observe({ method: req.method, route }, seconds);
      // Probes are polled every few seconds: their lines go at debug.
      const level = route === '/health' || route === '/ready' ? 'debug' : 'info';
      log[level](
        {
          requestId: ctx.requestId,
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
          clinicId: ctx.caller?.clinicId,
        },
        'request'
      );
    });
    next();
  };
}

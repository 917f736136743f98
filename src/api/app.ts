/**
 * The express app (no `listen`: src/server/ starts it; tests use it on port 0). Order: request
 * id → metrics/log line → helmet → public probes, docs, CapabilityStatement, sandbox → auth →
 * rate limit → JSON body (size, depth, array limits) → idempotency → routers → 404 → the one
 * error handler.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { requireAdmin, requireAuth, requireClinic } from './auth.js';
import { kapEpisodeSchema, questionnaireResultSchema, sessionSchema } from '../kap/index.js';
import type { AppOptions } from './app-options.js';
import { docsRouter } from './docs/docs-page.js';
import { openApiDocument } from './docs/openapi.js';
import { episodesRouter } from './episodes/routes.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { fhirPublicRouter, fhirRouter } from './fhir/routes.js';
import { httpError } from '../http-outcomes.js';
import { idempotency } from './idempotency.js';
import { jobsRouter } from './jobs/routes.js';
import { jsonLimits, scanJsonText } from './json-limits.js';
import { recordRequests } from './metrics.js';
import { metricsHandler, probesRouter, queueBoardRouter } from './operations/routes.js';
import { questionnairesRouter } from './questionnaires/routes.js';
import { rateLimit } from './rate-limit.js';
import { requestId } from './request-context.js';
import { VERSION } from './version.js';
import { clinicViewRouter, publicViewRouter } from './view/routes.js';
import { viewDeps } from './view/view-deps.js';

const JSON_TYPES = ['application/json', 'application/fhir+json', 'application/*+json'];


/** Refuses a body that is not JSON (415) before parsing. */
function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(JSON_TYPES)) {
    throw httpError(415, 'not-supported', 'Content-Type must be application/json or application/fhir+json');
  }
  next();
}

/**
 * Builds the app.
 * @param options - configuration, Redis, the pipeline, the sync engine, the validator
 */
export function createApp(options: AppOptions): Express {
  const { config } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestId);
  app.use(recordRequests(options.metrics));
  app.use(helmet({ crossOriginEmbedderPolicy: false }));

  app.use(probesRouter(options));
  app.use(docsRouter(() => openApiDocument({
    episode: kapEpisodeSchema,
    session: sessionSchema,
    questionnaire: questionnaireResultSchema,
    version: VERSION,
  })));
  app.use('/fhir', fhirPublicRouter(options, VERSION));
  if (options.sandbox) {
    app.use('/sandbox/fhir', options.sandbox);
  }

  // The prescriber's view links (/view/<token>): the token is the credential (src/api/view/routes.ts).
  const view = viewDeps(options);
  app.use('/view', publicViewRouter(view));

  const authenticate = requireAuth(options.auth);
  const limit = rateLimit({
    redis: options.redis,
    prefix: options.prefix,
    limit: config.rateLimitPerWindow,
    windowSeconds: config.rateLimitWindowSeconds,
  });
  const body = [
    jsonOnly,
    // verify: the raw text is scanned for duplicate keys (refused by jsonLimits after a successful parse).
    express.json({ limit: config.bodyLimit, type: JSON_TYPES, strict: true, verify: scanJsonText(config.jsonMaxDepth) }),
    jsonLimits(config.jsonMaxDepth, config.jsonMaxArrayLength),
  ];

  app.get('/metrics', authenticate, requireAdmin, metricsHandler(options));
  app.use('/admin/queues', authenticate, requireAdmin, queueBoardRouter(options));

  app.use('/v1', authenticate, limit, ...body);
  app.use('/v1', jobsRouter(options));
  app.use('/v1', requireClinic, idempotency(options.redis, options.prefix, options.codec), episodesRouter(options), questionnairesRouter(options), clinicViewRouter(view));

  app.use('/fhir', authenticate, limit, ...body, fhirRouter(options));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

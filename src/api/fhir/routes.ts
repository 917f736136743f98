/**
 * FHIR endpoints (`application/fhir+json`): `GET /fhir/metadata`, `POST /fhir/$validate` and
 * `POST /fhir/{type}/$validate` (per the spec: 200 with the OperationOutcome whether or not the
 * resource is valid; 4xx only when the request itself is wrong), read and search by `url` of the
 * package's conformance resources, and `POST /fhir` (a transaction or batch Bundle of KAP
 * resources, validated, then synced like an episode: 202 + Content-Location of the job).
 */
import type { Bundle, Parameters, Resource } from '@medplum/fhirtypes';
import { Router, type Request, type Response } from 'express';
import { hasErrors, issue, OperationOutcomeError, outcome } from '../../outcomes.js';
import { KAP_CANONICAL } from '../../terminology/systems.js';
import type { AppDeps } from '../deps.js';
import { validateBundle, ingestEpisode } from '../episodes/ingest.js';
import { asTenant, parsedOrThrow } from '../episodes/routes.js';
import { httpError, httpOutcome } from '../http-outcomes.js';
import { caller, context } from '../request-context.js';
import { capabilityStatement } from './capability-statement.js';

const FHIR_JSON = 'application/fhir+json';
const CONFORMANCE = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire']);

/** Sends a FHIR resource. */
export function sendFhir(res: Response, status: number, body: Resource): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

/** Public FHIR routes (no credentials): the CapabilityStatement. */
export function fhirPublicRouter(deps: AppDeps, version: string): Router {
  const router = Router();
  const date = new Date().toISOString();
  router.get('/metadata', (_req: Request, res: Response) => {
    sendFhir(res, 200, capabilityStatement(deps.conformance, version, date));
  });
  return router;
}

/** Reads `resource` and `profile` out of a $validate request body (a resource or a Parameters). */
function validateInput(body: unknown, query: Request['query']): { resource: Resource; profile?: string } {
  if (typeof body !== 'object' || body === null || typeof (body as Resource).resourceType !== 'string') {
    throw httpError(400, 'structure', 'The body must be a FHIR resource or a Parameters resource');
  }
  let resource = body as Resource;
  let profile = typeof query.profile === 'string' ? query.profile : undefined;
  if (resource.resourceType === 'Parameters') {
    const params = (resource as Parameters).parameter ?? [];
    const r = params.find((p) => p.name === 'resource')?.resource;
    if (!r) {
      throw httpError(400, 'required', "Parameters needs a 'resource' parameter", "Parameters.parameter.where(name='resource')");
    }
    const p = params.find((x) => x.name === 'profile');
    profile = p?.valueUri ?? p?.valueCanonical ?? (p as { valueString?: string } | undefined)?.valueString ?? profile;
    resource = r;
  }
  return { resource, profile };
}

/** Authenticated FHIR routes. */
export function fhirRouter(deps: AppDeps): Router {
  const router = Router();

  const validate = async (req: Request<{ type?: string }>, res: Response): Promise<void> => {
    const { resource, profile } = validateInput(req.body, req.query);
    const type = req.params.type;
    if (type !== undefined && resource.resourceType !== type) {
      throw httpError(400, 'invalid', 'The resource type differs from the type in the URL', 'resourceType');
    }
    const result = await deps.validation.validate(resource, profile ? { profile } : undefined);
    if (hasErrors(result)) {
      deps.metrics.validationFailures.inc({ source: '$validate' });
    }
    sendFhir(res, 200, result);
  };
  router.post('/$validate', validate);
  router.post('/:type/$validate', validate);

  router.get('/:type/:id', (req: Request<{ type: string; id: string }>, res: Response) => {
    const { type, id } = req.params;
    if (!CONFORMANCE.has(type)) {
      throw httpError(404, 'not-supported', 'This server serves only the package conformance resources');
    }
    const r = deps.conformance.read(type, id);
    if (!r) {
      throw httpError(404, 'not-found', 'Resource not found');
    }
    sendFhir(res, 200, r);
  });

  router.get('/:type', (req: Request<{ type: string }>, res: Response) => {
    const { type } = req.params;
    if (!CONFORMANCE.has(type)) {
      throw httpError(404, 'not-supported', 'This server serves only the package conformance resources');
    }
    for (const name of Object.keys(req.query)) {
      if (!['url', 'version', '_count', '_format', '_summary'].includes(name)) {
        throw httpError(400, 'not-supported', 'Unsupported search parameter', name);
      }
    }
    const url = typeof req.query.url === 'string' ? req.query.url : undefined;
    const version = typeof req.query.version === 'string' ? req.query.version : undefined;
    const found = deps.conformance.search(type, url, version);
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: found.length,
      entry: found.map((r) => ({ fullUrl: `${KAP_CANONICAL}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })),
    };
    sendFhir(res, 200, bundle);
  });

  router.post('/', async (req: Request, res: Response) => {
    const bundle = req.body as Bundle;
    if (bundle?.resourceType !== 'Bundle' || (bundle.type !== 'transaction' && bundle.type !== 'batch')) {
      throw httpError(400, 'invalid', 'POST to the base needs a transaction or batch Bundle', 'Bundle.type');
    }
    const clinicId = caller(res).clinicId;
    if (!clinicId) {
      throw httpError(403, 'forbidden', 'This route needs a clinic credential');
    }
    const requestId = context(res).requestId;
    let jobIds: string[];
    if (deps.episodes.fromBundle) {
      const episode = parsedOrThrow(deps, bundle, deps.episodes.fromBundle(bundle, clinicId));
      ({ jobIds } = await ingestEpisode(deps, clinicId, asTenant(episode, clinicId), requestId, 'not-older'));
    } else {
      const issues = await validateBundle(deps, bundle);
      if (hasErrors(outcome(issues))) {
        deps.metrics.validationFailures.inc({ source: 'profile' });
        throw new OperationOutcomeError(httpOutcome(422, issues));
      }
      ({ jobIds } = await deps.sync.submitEpisode(bundle, { clinicId, requestId }));
    }
    if (jobIds[0]) {
      res.setHeader('Content-Location', `/v1/jobs/${encodeURIComponent(jobIds[0])}`);
    }
    sendFhir(
      res,
      202,
      outcome([issue('information', 'informational', `Accepted for delivery; jobs: ${jobIds.join(', ')}`)])
    );
  });

  router.all('/:type', () => {
    throw httpError(404, 'not-supported', 'Operation not supported');
  });
  return router;
}

/**
 * FHIR endpoints (`application/fhir+json`): `GET /fhir/metadata`, `POST /fhir/$validate` and
 * `POST /fhir/{type}/$validate` (per the spec: 200 with the OperationOutcome whether or not the
 * resource is valid; 4xx only when the request itself is wrong), read and search by `url` of the
 * package's conformance resources, and `POST /fhir` (a transaction or batch Bundle of KAP
 * resources, validated, then synced like an episode: 202 + Content-Location of the job).
 * The submitted Bundle is validated as submitted before it is read back into an episode, so no
 * value the profiles refuse reaches the EHR; JSON the validator or the reverse mapping cannot walk
 * is a `structure` error with fixed text (422 for POST /fhir, 200 + OperationOutcome for $validate),
 * never a 500 and never the error's message.
 */
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { Router, type Request, type Response } from 'express';
import { hasErrors, issue, OperationOutcomeError, outcome } from '../../outcomes.js';
import { KAP_CANONICAL } from '../../terminology/systems.js';
import { assertFhirBodyWithinLimits } from '../../pipeline/limits.js';
import type { AppOptions, ProfileValidator } from '../app-options.js';
import { submitter } from '../episodes/routes.js';
import { httpError, httpOutcome } from '../../http-outcomes.js';
import { caller } from '../request-context.js';
import { capabilityStatement } from './capability-statement.js';

const FHIR_JSON = 'application/fhir+json';
const CONFORMANCE = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire']);

/** Sends a FHIR resource. */
export function sendFhir(res: Response, status: number, body: Resource): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

/** Public FHIR routes (no credentials): the CapabilityStatement. */
export function fhirPublicRouter(options: AppOptions, version: string): Router {
  const router = Router();
  const date = new Date().toISOString();
  router.get('/metadata', (_req: Request, res: Response) => {
    sendFhir(res, 200, capabilityStatement(options.conformance, version, date));
  });
  return router;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * True for a JSON object with a string `resourceType`: as far as the API reads a resource before the
 * validator walks it (what a resource holds is the validator's to check).
 */
const isResourceJson = (v: unknown): v is Resource => isObject(v) && typeof v.resourceType === 'string';

/** Reads `resource` and `profile` out of a $validate request body (a resource or a Parameters). */
function validateInput(body: unknown, query: Request['query']): { resource: Resource; profile?: string } {
  if (!isResourceJson(body)) {
    throw httpError(400, 'structure', 'The body must be a FHIR resource or a Parameters resource');
  }
  let resource: Resource = body;
  if (query.profile !== undefined && typeof query.profile !== 'string') {
    throw httpError(400, 'invalid', 'profile must be given once, as a canonical URL', 'profile');
  }
  let profile = query.profile;
  if (resource.resourceType === 'Parameters') {
    // Plain JSON objects: `name` and the value keys are checked here, the resource by the validator.
    const params: unknown = resource.parameter ?? [];
    if (!Array.isArray(params) || !params.every(isObject)) {
      throw httpError(400, 'structure', 'Parameters.parameter must be an array of objects', 'Parameters.parameter');
    }
    const r: unknown = params.find((p) => p.name === 'resource')?.resource;
    if (r === undefined) {
      throw httpError(400, 'required', "Parameters needs a 'resource' parameter", "Parameters.parameter.where(name='resource')");
    }
    if (!isResourceJson(r)) {
      throw httpError(400, 'structure', "The 'resource' parameter must be a FHIR resource", "Parameters.parameter.where(name='resource').resource");
    }
    const p = params.find((x) => x.name === 'profile');
    if (p) {
      const value = p.valueUri ?? p.valueCanonical ?? p.valueString;
      if (typeof value !== 'string') {
        throw httpError(400, 'invalid', "The 'profile' parameter must be a canonical URL", "Parameters.parameter.where(name='profile')");
      }
      profile = value;
    }
    resource = r;
  }
  return { resource, profile };
}

/**
 * The shape the validator and the reverse mapping walk without checking: `entry` an array of
 * objects, each `resource` (when present) an object with a string `resourceType`.
 * @returns the error issues (empty when the shape is fine)
 */
function bundleShapeIssues(bundle: Bundle): OperationOutcomeIssue[] {
  const entries: unknown = bundle.entry;
  if (entries === undefined) {
    return [];
  }
  if (!Array.isArray(entries)) {
    return [issue('error', 'structure', 'Expected an array', 'Bundle.entry')];
  }
  const issues: OperationOutcomeIssue[] = [];
  entries.forEach((e: unknown, i) => {
    if (!isObject(e)) {
      issues.push(issue('error', 'structure', 'Expected an object', `Bundle.entry[${i}]`));
    } else if (e.resource !== undefined && (!isObject(e.resource) || typeof e.resource.resourceType !== 'string')) {
      issues.push(issue('error', 'structure', 'Expected a FHIR resource', `Bundle.entry[${i}].resource`));
    }
  });
  return issues;
}

const STRUCTURE_TEXT = 'The resource is not well-formed FHIR JSON and cannot be read';

/**
 * Validates a resource; a validator that fails on malformed JSON (anything but an outcome) becomes a
 * `structure` error with fixed text, named as closely as we can: for a Bundle, the entries are
 * validated one by one to name the `Bundle.entry[i].resource` that cannot be read.
 */
async function safeValidate(validator: ProfileValidator, resource: Resource, profile?: string): Promise<OperationOutcome> {
  /** The validator's outcome, or undefined when it failed on input it cannot walk. */
  const run = async (r: Resource, p?: string): Promise<OperationOutcome | undefined> => {
    try {
      return await validator.validate(r, p ? { profile: p } : undefined);
    } catch (err) {
      if (err instanceof OperationOutcomeError) {
        return err.outcome;
      }
      return undefined;
    }
  };
  if (resource.resourceType === 'Bundle') {
    const shape = bundleShapeIssues(resource);
    if (shape.length > 0) {
      return outcome(shape);
    }
  }
  const result = await run(resource, profile);
  if (result) {
    return result;
  }
  if (resource.resourceType !== 'Bundle') {
    return outcome([issue('error', 'structure', STRUCTURE_TEXT, resource.resourceType)]);
  }
  // Name the entries the validator cannot walk: each is validated on its own.
  const issues: OperationOutcomeIssue[] = [];
  for (const [i, e] of ((resource as Bundle).entry ?? []).entries()) {
    const r = e.resource;
    if (!r) {
      continue;
    }
    const at = `Bundle.entry[${i}].resource`;
    const one = await run(r);
    if (!one) {
      issues.push(issue('error', 'structure', STRUCTURE_TEXT, at));
      continue;
    }
    for (const x of one.issue ?? []) {
      if (x.severity === 'error' || x.severity === 'fatal') {
        const rebased = (x.expression ?? [r.resourceType]).map((ex) =>
          ex === r.resourceType || ex.startsWith(`${r.resourceType}.`) ? `${at}${ex.slice(r.resourceType.length)}` : ex
        );
        issues.push({ ...x, expression: rebased });
      }
    }
  }
  return outcome(issues.length > 0 ? issues : [issue('error', 'structure', STRUCTURE_TEXT, 'Bundle')]);
}

/** Authenticated FHIR routes. */
export function fhirRouter(options: AppOptions): Router {
  const { config, conformance, metrics, pipeline, validator } = options;
  const router = Router();

  const validate = async (req: Request<{ type?: string }>, res: Response): Promise<void> => {
    const { resource, profile } = validateInput(req.body, req.query);
    assertFhirBodyWithinLimits(config.limits, req.body);
    const type = req.params.type;
    if (type !== undefined && resource.resourceType !== type) {
      throw httpError(400, 'invalid', 'The resource type differs from the type in the URL', 'resourceType');
    }
    const result = await safeValidate(validator, resource, profile);
    if (hasErrors(result)) {
      metrics.validationFailures.inc({ source: '$validate' });
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
    const r = conformance.read(type, id);
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
    const found = conformance.search(type, url, version);
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: found.length,
      entry: found.map((r) => ({ fullUrl: `${KAP_CANONICAL}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })),
    };
    sendFhir(res, 200, bundle);
  });

  router.post('/', async (req: Request, res: Response) => {
    const body: unknown = req.body;
    const bundle = body as Bundle;
    if (!isObject(body) || body.resourceType !== 'Bundle' || (body.type !== 'transaction' && body.type !== 'batch')) {
      throw httpError(400, 'invalid', 'POST to the base needs a transaction or batch Bundle', 'Bundle.type');
    }
    if (!caller(res).clinicId) {
      throw httpError(403, 'forbidden', 'This route needs a clinic credential');
    }
    assertFhirBodyWithinLimits(config.limits, bundle);
    // What was submitted is validated before anything is read out of it: a resource the profiles
    // refuse must never reach the EHR, not even through the episode it is read back into.
    const checked = await safeValidate(validator, bundle);
    if (hasErrors(checked)) {
      metrics.validationFailures.inc({ source: 'profile' });
      throw new OperationOutcomeError(httpOutcome(422, (checked.issue ?? []).filter((x) => x.severity !== 'information')));
    }
    const { jobIds } = await pipeline.submitFhirBundle(submitter(res), bundle);
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

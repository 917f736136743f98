/**
 * The OpenAPI 3.1 document of the clinic API and the FHIR endpoints, generated from the zod
 * schemas of the KAP model (`@asteasolutions/zod-to-openapi` 9, which supports zod 4). A schema
 * the generator cannot express falls back to zod 4's own `z.toJSONSchema`.
 */
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** The schemas the document is built from. */
export interface OpenApiInputs {
  episode: unknown;
  session: unknown;
  questionnaire?: unknown;
  version: string;
}

const operationOutcome = z
  .object({
    resourceType: z.literal('OperationOutcome'),
    issue: z.array(
      z.object({
        severity: z.enum(['fatal', 'error', 'warning', 'information']),
        code: z.string(),
        details: z.object({ text: z.string() }).optional(),
        expression: z.array(z.string()).optional().describe('FHIRPath of the offending field (never its value)'),
      })
    ),
  })
  .describe('FHIR OperationOutcome');

const accepted = z.object({
  episodeId: z.string(),
  version: z.number().int(),
  jobIds: z.array(z.string()),
  requestId: z.string(),
});

const job = z.object({ id: z.string(), state: z.string() }).catchall(z.unknown());
const fhirResource = z.object({ resourceType: z.string() }).catchall(z.unknown()).describe('A FHIR R4 resource');

function errors(...codes: number[]): RouteConfig['responses'] {
  const text: Record<number, string> = {
    400: 'Malformed request',
    401: 'No or bad credentials',
    403: 'Not allowed for this credential',
    404: 'Not found (or another clinic’s)',
    409: 'Conflict (version, duplicate, or Idempotency-Key reused with another body)',
    413: 'Body too large or too deep',
    422: 'Refused by the schema or the KAP profiles; `expression` names the field',
    429: 'Rate limit exceeded (see Retry-After)',
  };
  const out: RouteConfig['responses'] = {};
  for (const c of codes) {
    out[c] = { description: text[c] ?? 'Error', content: { 'application/fhir+json': { schema: operationOutcome } } };
  }
  return out;
}

/**
 * Builds the OpenAPI document.
 * @param inputs - the zod schemas and the software version
 */
export function openApiDocument(inputs: OpenApiInputs): Record<string, unknown> {
  try {
    return build(inputs);
  } catch {
    // Fall back on zod's own JSON Schema for the KAP components.
    const placeholder = z.record(z.string(), z.unknown());
    const doc = build({ ...inputs, episode: placeholder, session: placeholder, questionnaire: placeholder }) as {
      components?: { schemas?: Record<string, unknown> };
    };
    const json = (s: unknown): unknown =>
      s instanceof z.ZodType ? z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) : { type: 'object' };
    doc.components = doc.components ?? {};
    doc.components.schemas = {
      ...doc.components.schemas,
      KapEpisode: json(inputs.episode),
      KapSession: json(inputs.session),
      KapQuestionnaireSubmission: json(inputs.questionnaire),
    };
    return doc as Record<string, unknown>;
  }
}

function build(inputs: OpenApiInputs): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A clinic API key, or a JWT from the configured issuer carrying the clinic id',
  });
  const security = [{ [bearer.name]: [] }];
  const asSchema = (s: unknown): z.ZodType => (s instanceof z.ZodType ? s : z.record(z.string(), z.unknown()));
  const episode = registry.register('KapEpisode', asSchema(inputs.episode));
  const session = registry.register('KapSession', asSchema(inputs.session));
  const questionnaire = registry.register('KapQuestionnaireSubmission', asSchema(inputs.questionnaire));
  const outcomeRef = registry.register('OperationOutcome', operationOutcome);
  const acceptedRef = registry.register('Accepted', accepted);
  const idempotency = z.object({
    'idempotency-key': z.string().max(255).optional().describe('Same key + same body → same answer; other body → 409'),
  });
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const fhir = (schema: z.ZodType) => ({ content: { 'application/fhir+json': { schema } } });

  registry.registerPath({
    method: 'post', path: '/v1/episodes', tags: ['Episodes'], security,
    summary: 'Submit a KAP episode (any version not older than the one kept)',
    request: { headers: idempotency, body: { required: true, ...json(episode) } },
    responses: { 202: { description: 'Accepted: mapped, validated, enqueued', ...json(acceptedRef) }, ...errors(400, 401, 409, 413, 422, 429) },
  });
  registry.registerPath({
    method: 'put', path: '/v1/episodes/{id}', tags: ['Episodes'], security,
    summary: 'A new version of an episode (version must be newer; omitted → current + 1)',
    request: { params: z.object({ id: z.string() }), body: { required: true, ...json(episode) } },
    responses: { 202: { description: 'Accepted', ...json(acceptedRef) }, ...errors(400, 401, 409, 413, 422, 429) },
  });
  registry.registerPath({
    method: 'post', path: '/v1/episodes/{id}/sessions', tags: ['Episodes'], security,
    summary: 'Add one session to the current episode (the service bumps the version)',
    request: { params: z.object({ id: z.string() }), headers: idempotency, body: { required: true, ...json(session) } },
    responses: { 202: { description: 'Accepted', ...json(acceptedRef) }, ...errors(400, 401, 404, 409, 413, 422, 429) },
  });
  registry.registerPath({
    method: 'post', path: '/v1/questionnaire-responses', tags: ['Questionnaires'], security,
    summary: 'A questionnaire result for an episode: KAP form, or a FHIR QuestionnaireResponse with ?episodeId=',
    request: {
      query: z.object({ episodeId: z.string().optional() }),
      headers: idempotency,
      body: { required: true, content: { 'application/json': { schema: questionnaire }, 'application/fhir+json': { schema: fhirResource } } },
    },
    responses: { 202: { description: 'Accepted: scored, validated, enqueued', ...json(acceptedRef) }, ...errors(400, 401, 404, 409, 413, 422, 429) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/jobs/{id}', tags: ['Jobs'], security, summary: 'A job of the caller’s clinic',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: 'The job', ...json(job) }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/dead-letters', tags: ['Jobs'], security, summary: 'Dead-lettered jobs of the caller’s clinic',
    responses: { 200: { description: 'The dead letters', ...json(z.object({ total: z.number(), items: z.array(job) })) }, ...errors(401) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/delivery-log', tags: ['Jobs'], security,
    summary: 'What was delivered where, for the caller’s clinic (an admin adds ?clinicId=)',
    request: { query: z.object({ clinicId: z.string().optional() }) },
    responses: { 200: { description: 'The delivery log', ...json(z.object({ total: z.number(), items: z.array(z.record(z.string(), z.unknown())) })) }, ...errors(400, 401) },
  });
  registry.registerPath({
    method: 'post', path: '/v1/dead-letters/{id}/replay', tags: ['Jobs'], security, summary: 'Replay a dead letter',
    request: { params: z.object({ id: z.string() }) },
    responses: { 202: { description: 'Re-enqueued', ...json(z.object({ jobId: z.string() })) }, ...errors(401, 404) },
  });
  // The prescriber's view (issue 14, docs/summary.md "Web view and links")
  const html = { content: { 'text/html': { schema: z.string() } } };
  const pdf = { content: { 'application/pdf': { schema: z.string() } } };
  const patientParams = z.object({ patientId: z.string() });
  const linkParams = z.object({ linkId: z.string() });
  registry.registerPath({
    method: 'get', path: '/v1/patients/{patientId}/view', tags: ['View'], security,
    summary: 'The web view of one patient of the caller’s clinic: dosing timeline, vitals and score charts, signals, session PDFs',
    request: { params: patientParams },
    responses: { 200: { description: 'The page (no script, strict CSP)', ...html }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/patients/{patientId}/episodes/{episodeId}/sessions/{sessionId}/summary.pdf', tags: ['View'], security,
    summary: 'The summary PDF of one dosing session',
    request: { params: z.object({ patientId: z.string(), episodeId: z.string(), sessionId: z.string() }) },
    responses: { 200: { description: 'The PDF', ...pdf }, ...errors(401, 404) },
  });
  const episodeParams = z.object({ patientId: z.string(), episodeId: z.string() });
  registry.registerPath({
    method: 'get', path: '/v1/patients/{patientId}/episodes/{episodeId}/sessions/{sessionId}/rems.pdf', tags: ['View'], security,
    summary: 'The Spravato REMS monitoring record PDF of an esketamine dosing session (a dose given); other sessions: 404',
    request: { params: z.object({ patientId: z.string(), episodeId: z.string(), sessionId: z.string() }) },
    responses: { 200: { description: 'The PDF', ...pdf }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/patients/{patientId}/episodes/{episodeId}/summary.pdf', tags: ['View'], security,
    summary: 'The episode summary PDF, made on request: every dosing session, the score trajectories, the signals, the latest plan, the care team',
    request: { params: episodeParams },
    responses: { 200: { description: 'The PDF', ...pdf }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/patients/{patientId}/episodes/{episodeId}/summary', tags: ['View'], security,
    summary: 'The episode summary as a FHIR document Bundle (Composition kap-episode-summary first), always application/fhir+json',
    request: { params: episodeParams },
    responses: { 200: { description: 'The document Bundle', content: { 'application/fhir+json': { schema: z.record(z.string(), z.unknown()) } } }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'post', path: '/v1/patients/{patientId}/links', tags: ['View'], security,
    summary: 'A time-limited signed link to the patient’s view, for an outside prescriber (1–30 days, default the service’s)',
    request: { params: patientParams, body: { required: false, ...json(z.object({ days: z.number().int().min(1).max(30).optional() })) } },
    responses: { 201: { description: 'The link: id, URL with the token, expiry', ...json(z.record(z.string(), z.unknown())) }, ...errors(400, 401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/links/{linkId}', tags: ['View'], security, summary: 'A link of the caller’s clinic (never its token)',
    request: { params: linkParams },
    responses: { 200: { description: 'The link', ...json(z.record(z.string(), z.unknown())) }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'delete', path: '/v1/links/{linkId}', tags: ['View'], security, summary: 'Revoke a link',
    request: { params: linkParams },
    responses: { 200: { description: 'The link, revoked', ...json(z.record(z.string(), z.unknown())) }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/v1/links/{linkId}/audit', tags: ['View'], security, summary: 'Every access to a link (ids, times, outcomes; no PHI)',
    request: { params: linkParams },
    responses: { 200: { description: 'The audit entries', ...json(z.record(z.string(), z.unknown())) }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'get', path: '/view/{token}', tags: ['View'],
    summary: 'The view through a signed link (no other credential); unknown, expired or revoked: the same 404 page',
    request: { params: z.object({ token: z.string() }) },
    responses: { 200: { description: 'The page', ...html }, 404: { description: 'No such link', ...html } },
  });
  registry.registerPath({
    method: 'get', path: '/view/{token}/episodes/{episodeId}/sessions/{sessionId}/summary.pdf', tags: ['View'],
    summary: 'A session summary PDF through a signed link (no other credential)',
    request: { params: z.object({ token: z.string(), episodeId: z.string(), sessionId: z.string() }) },
    responses: { 200: { description: 'The PDF', ...pdf }, 404: { description: 'No such link or document', ...html } },
  });
  registry.registerPath({
    method: 'get', path: '/view/{token}/episodes/{episodeId}/sessions/{sessionId}/rems.pdf', tags: ['View'],
    summary: 'An esketamine session’s REMS monitoring record PDF through a signed link (no other credential)',
    request: { params: z.object({ token: z.string(), episodeId: z.string(), sessionId: z.string() }) },
    responses: { 200: { description: 'The PDF', ...pdf }, 404: { description: 'No such link or document', ...html } },
  });
  registry.registerPath({
    method: 'get', path: '/view/{token}/episodes/{episodeId}/summary.pdf', tags: ['View'],
    summary: 'The episode summary PDF through a signed link (no other credential)',
    request: { params: z.object({ token: z.string(), episodeId: z.string() }) },
    responses: { 200: { description: 'The PDF', ...pdf }, 404: { description: 'No such link or document', ...html } },
  });
  registry.registerPath({
    method: 'get', path: '/fhir/metadata', tags: ['FHIR'], summary: 'CapabilityStatement (no credentials needed)',
    responses: { 200: { description: 'CapabilityStatement', ...fhir(fhirResource) } },
  });
  for (const path of ['/fhir/$validate', '/fhir/{type}/$validate']) {
    registry.registerPath({
      method: 'post', path, tags: ['FHIR'], security,
      summary: '$validate: a resource, or Parameters{resource, profile} → OperationOutcome (200 even when invalid)',
      request: {
        ...(path.includes('{type}') ? { params: z.object({ type: z.string() }) } : {}),
        query: z.object({ profile: z.string().optional() }),
        body: { required: true, ...fhir(fhirResource) },
      },
      responses: { 200: { description: 'The validation outcome', ...fhir(outcomeRef) }, ...errors(400, 401) },
    });
  }
  registry.registerPath({
    method: 'get', path: '/fhir/{type}', tags: ['FHIR'], security,
    summary: 'Search the package’s StructureDefinition/ValueSet/CodeSystem/Questionnaire by url',
    request: { params: z.object({ type: z.enum(['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire']) }), query: z.object({ url: z.string().optional(), version: z.string().optional() }) },
    responses: { 200: { description: 'searchset Bundle', ...fhir(fhirResource) }, ...errors(400, 401) },
  });
  registry.registerPath({
    method: 'get', path: '/fhir/{type}/{id}', tags: ['FHIR'], security, summary: 'Read a conformance resource',
    request: { params: z.object({ type: z.string(), id: z.string() }) },
    responses: { 200: { description: 'The resource', ...fhir(fhirResource) }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: 'post', path: '/fhir', tags: ['FHIR'], security,
    summary: 'A transaction/batch Bundle of KAP resources: validated, then synced like an episode',
    request: { body: { required: true, ...fhir(fhirResource) } },
    responses: { 202: { description: 'Accepted; Content-Location names the job', ...fhir(outcomeRef) }, ...errors(400, 401, 413, 422, 429) },
  });
  for (const [path, summary] of [
    ['/health', 'Process up'],
    ['/ready', 'Redis reachable and profiles loaded'],
    ['/metrics', 'Prometheus metrics (admin)'],
  ] as const) {
    registry.registerPath({
      method: 'get', path, tags: ['Operations'], summary,
      ...(path === '/metrics' ? { security } : {}),
      responses: { 200: { description: 'OK' }, 503: { description: 'Not ready', ...fhir(outcomeRef) } },
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument(info(inputs.version)) as unknown as Record<
    string,
    unknown
  >;
}

function info(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'kap-fhir',
      version,
      description:
        'FHIR R4 interoperability for ketamine-assisted psychotherapy clinics. Every error is a FHIR OperationOutcome ' +
        'whose `expression` names the field; no submitted value is ever echoed.',
    },
    servers: [{ url: '/' }],
  };
}

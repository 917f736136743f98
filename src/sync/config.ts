/**
 * Delivery targets, zod-validated: FHIR servers (EHRs, prescribers' FHIR endpoints) and webhooks,
 * per clinic, with their auth, timeout, rate limit and roles. Loaded from a JSON file
 * (`KAP_SYNC_TARGETS_FILE`) or from the env (`KAP_SYNC_TARGETS`, JSON); a secret written as
 * `env:NAME` is read from the environment variable NAME, so the file itself holds none.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FHIR_ID } from '../fhir-id.js';
import { invalidSubmission, OperationOutcomeError } from '../outcomes.js';

const secret = z.string().min(1);

/** Auth of a target. */
export const targetAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('bearer'), token: secret }),
  z.object({
    type: z.literal('client-credentials'),
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    clientSecret: secret,
    method: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    scope: z.string().optional(),
  }),
  z.object({
    type: z.literal('smart-backend'),
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    /** PKCS#8 PEM or a private JWK as JSON. */
    privateKey: secret,
    alg: z.enum(['RS384', 'ES384']),
    kid: z.string().optional(),
    scope: z.string().default('system/*.write'),
  }),
]);
export type TargetAuth = z.infer<typeof targetAuthSchema>;

/** What a target receives. */
export const targetRoleSchema = z.enum(['ehr', 'prescriber', 'alerts']);
export type TargetRole = z.infer<typeof targetRoleSchema>;

/** One delivery target. */
export const targetSchema = z
  .object({
    id: z.string().regex(FHIR_ID),
    clinicId: z.string().regex(FHIR_ID),
    /** `fhir` server, signed `webhook`, or `discard` (does the bookkeeping, sends nothing: dry runs, benchmarks). */
    type: z.enum(['fhir', 'webhook', 'discard']),
    roles: z.array(targetRoleSchema).min(1),
    /** FHIR base URL, or the webhook URL. */
    url: z.url().optional(),
    auth: targetAuthSchema.default({ type: 'none' }),
    /** HMAC-SHA256 secret of a webhook. */
    webhookSecret: secret.optional(),
    /** Per-request timeout. */
    timeoutMs: z.number().int().positive().default(10000),
    /**
     * How entries are sent (docs/sync.md "Write modes"): `auto` reads the CapabilityStatement (batch where
     * declared, else transaction, else one by one); `batch`; `atomic` (= `always`) atomic transactions where
     * the server runs them atomically; `never` conditional updates one by one.
     */
    transaction: z.enum(['auto', 'batch', 'atomic', 'always', 'never']).default('auto'),
    /** Entries per batch/transaction request (an atomic transaction the server finds too large is halved). */
    maxEntries: z.number().int().min(1).max(1000).default(100),
    /** What each entry adds to the timeout of a request (a large Bundle gets the time it needs). */
    timeoutPerEntryMs: z.number().int().min(0).default(100),
    /**
     * At most `max` deliveries (jobs) start per `durationMs` at this target (BullMQ limiter of its queues);
     * a delivery sends its dependency waves one after another.
     */
    rateLimit: z.object({ max: z.number().int().positive(), durationMs: z.number().int().positive() }).optional(),
    /** For role `prescriber`: the prescriber this endpoint serves (NPI or the clinic's practitioner id); all when omitted. */
    prescriber: z.object({ npi: z.string().optional(), practitionerId: z.string().optional() }).optional(),
  })
  .refine((t) => t.type === 'discard' || !!t.url, { message: 'url is required', path: ['url'] })
  .refine((t) => t.type !== 'webhook' || !!t.webhookSecret, { message: 'webhookSecret is required', path: ['webhookSecret'] });
export type TargetConfig = z.infer<typeof targetSchema>;
/** A target as written in the config (defaults not applied). */
export type TargetInput = z.input<typeof targetSchema>;

/** The targets file: `{ "targets": [...] }`. */
export const targetsFileSchema = z.object({ targets: z.array(targetSchema) }).refine(
  (f) => new Set(f.targets.map((t) => t.id)).size === f.targets.length,
  { message: 'target ids must be unique', path: ['targets'] }
);

/** Replaces every `env:NAME` string by the value of the environment variable NAME. */
function resolveEnvRefs(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string' && value.startsWith('env:')) {
    return env[value.slice(4)] ?? '';
  }
  if (Array.isArray(value)) {
    return value.map((v) => resolveEnvRefs(v, env));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnvRefs(v, env)]));
  }
  return value;
}

/**
 * Validates targets.
 * @param raw - `{ targets }` or an array of targets
 * @param env - environment for `env:NAME` secrets
 * @returns the parsed targets
 * @throws OperationOutcomeError with one issue per invalid field (no values echoed)
 */
export function parseTargets(raw: unknown, env: NodeJS.ProcessEnv = process.env): TargetConfig[] {
  const input = Array.isArray(raw) ? { targets: raw } : raw;
  const result = targetsFileSchema.safeParse(resolveEnvRefs(input, env));
  if (!result.success) {
    throw new OperationOutcomeError(invalidSubmission(result.error, 'SyncTargets'));
  }
  return result.data.targets;
}

/**
 * Loads the targets from `KAP_SYNC_TARGETS_FILE` (a JSON file) or `KAP_SYNC_TARGETS` (JSON); none → [].
 * @param env - the environment
 * @returns the parsed targets
 */
export function loadTargets(env: NodeJS.ProcessEnv = process.env): TargetConfig[] {
  if (env.KAP_SYNC_TARGETS_FILE) {
    return parseTargets(JSON.parse(readFileSync(env.KAP_SYNC_TARGETS_FILE, 'utf8')), env);
  }
  if (env.KAP_SYNC_TARGETS) {
    return parseTargets(JSON.parse(env.KAP_SYNC_TARGETS), env);
  }
  return [];
}

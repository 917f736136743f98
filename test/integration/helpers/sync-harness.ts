/**
 * A sync engine wired to a sandbox EHR for one test file: own Redis prefix (removed afterwards) on the
 * test Redis (one server, or the cluster of `npm run test:cluster`: helpers/redis.ts),
 * short backoff so retries happen within a test, a generous request timeout (TARGET_TIMEOUT_MS).
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../../queues/sync-engine.js';
import type { TargetInput } from '../../../src/sync/config.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/sandbox.js';
import type { SandboxStrictOption } from '../../../src/sandbox/strict.js';
import { TARGET_TIMEOUT_MS } from '../../helpers/timeouts.js';
import { testCodec } from './codec.js';
import { cleanupPrefix, testPrefix, testRedisEndpoint } from './redis.js';

/** A running sandbox + engine. */
export interface SyncHarness {
  sandbox: RunningSandbox;
  engine: SyncEngine;
  prefix: string;
  clinicId: string;
  /** Stops workers, engine, sandbox; removes the Redis keys. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox and an engine with one EHR target (`ehr-main`) for clinic `clinic-a`.
 * @param o - engine option overrides, extra targets, sandbox options (`strict`: the strict sandbox)
 * @returns the harness
 */
export async function startSyncHarness(
  o: {
    engine?: Partial<SyncEngineOptions>;
    ehrTarget?: Partial<TargetInput>;
    extraTargets?: (sandbox: RunningSandbox) => TargetInput[];
    transactions?: boolean;
    workers?: boolean;
    /** Strict sandbox (behaves like the real Medplum server, src/sandbox/strict.ts). */
    strict?: SandboxStrictOption;
  } = {}
): Promise<SyncHarness> {
  const sandbox = await startSandbox({ transactions: o.transactions ?? true, strict: o.strict });
  const prefix = testPrefix();
  const clinicId = 'clinic-a';
  const engine = createSyncEngine({
    redis: testRedisEndpoint(),
    prefix,
    codec: testCodec(),
    policy: { attempts: 6, backoffMs: 50 },
    lockRetryMs: 50,
    ...o.engine,
    targets: [
      { id: 'ehr-main', clinicId, type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: TARGET_TIMEOUT_MS, ...o.ehrTarget } as TargetInput,
      ...(o.extraTargets?.(sandbox) ?? []),
    ],
  });
  if (o.workers ?? true) {
    await engine.startWorkers();
  }
  return {
    sandbox,
    engine,
    prefix,
    clinicId,
    close: async () => {
      await engine.close();
      await sandbox.close();
      await cleanupPrefix(prefix);
    },
  };
}

/** Identifier `system|value` tokens of every entry of a Bundle, by resource type (entries without one skipped). */
export function entryKeys(bundle: Bundle): { type: string; token: string; resource: Resource }[] {
  const out: { type: string; token: string; resource: Resource }[] = [];
  for (const e of bundle.entry ?? []) {
    const r = e.resource as Resource & { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] };
    const ids = Array.isArray(r.identifier) ? r.identifier : r.identifier ? [r.identifier] : [];
    if (ids[0]?.system && ids[0].value) {
      out.push({ type: r.resourceType, token: `${ids[0].system}|${ids[0].value}`, resource: r });
    }
  }
  return out;
}

/** Every object nested anywhere inside a value (arrays walked through), the value itself first. */
function objectsIn(value: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      out.push(v as Record<string, unknown>);
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return out;
}

/** Every Coding (system|code) inside a value, sorted. */
export function codingsOf(value: unknown): string[] {
  return objectsIn(value)
    .filter((o) => typeof o.system === 'string' && typeof o.code === 'string')
    .map((o) => `${o.system as string}|${o.code as string}`)
    .sort();
}

/** Every `reference` string inside a value. */
export function referencesIn(value: unknown): string[] {
  return objectsIn(value)
    .filter((o) => typeof o.reference === 'string')
    .map((o) => o.reference as string);
}

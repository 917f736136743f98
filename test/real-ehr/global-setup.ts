/**
 * Starts the real FHIR servers of ../shared/real-ehr (the open-source Medplum server on its own PostgreSQL)
 * once for the suite and hands their JSON lines to the tests: `REAL_EHR` (transactions run as batches, the
 * server's default) and `REAL_EHR_ATOMIC` (a second state dir whose project has the `transaction-bundles`
 * feature: atomic transactions with their entry limits). Both get a large per-client FHIR quota so the
 * delivery matrix is not an hour of quota waits (quota 429s are covered by the strict sandbox and the fault
 * proxy); a server running with another quota is restarted once. Without the kit the suite is skipped with a
 * one-line notice — except in CI (`CI=true`), where that is a failure. The servers are left running: a later
 * run (or CI's next start) takes seconds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Points per minute per client on the test servers. */
export const REAL_EHR_QUOTA = '10000000';

/** Where the kit lies: `REAL_EHR_KIT`, else ../shared/real-ehr beside the project. */
export function realEhrKit(): string {
  return process.env.REAL_EHR_KIT ?? resolve(REPO_ROOT, '../shared/real-ehr');
}

/** The quota a state dir's server was started with (its settings.env), if any. */
function startedQuota(dir: string): string | undefined {
  const file = join(dir, 'settings.env');
  return existsSync(file) ? /^S_FHIR_QUOTA=(\d*)/m.exec(readFileSync(file, 'utf8'))?.[1] : undefined;
}

/** Runs a kit script; returns the last stdout line (the JSON line of `start`). */
function kit(script: 'start' | 'stop', args: string[]): string {
  const r = spawnSync('bash', [resolve(realEhrKit(), script), ...args], {
    encoding: 'utf8',
    timeout: 20 * 60_000,
    env: { ...process.env, REAL_EHR_NODE: process.execPath },
  });
  if (r.status !== 0) {
    throw new Error(`[real-ehr] ${script} failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`);
  }
  return r.stdout.trim().split('\n').pop() as string;
}

/** Starts one server (restarting it once when it runs with another quota). */
function startServer(dir: string, args: string[]): string {
  const quota = startedQuota(dir);
  if (quota !== undefined && quota !== REAL_EHR_QUOTA && existsSync(join(dir, 'server.pid'))) {
    kit('stop', ['--dir', dir]);
  }
  return kit('start', ['--dir', dir, '--fhir-quota', REAL_EHR_QUOTA, ...args]);
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(resolve(realEhrKit(), 'start'))) {
    if (process.env.CI === 'true') {
      throw new Error(`[real-ehr] ${realEhrKit()} is absent: CI needs the real FHIR server kit`);
    }
    process.stderr.write(`\n[real-ehr] ${realEhrKit()} is absent: the real-FHIR-server tests are SKIPPED.\n`);
    return;
  }
  const base = process.env.TMPDIR ?? tmpdir();
  process.env.REAL_EHR = startServer(process.env.REAL_EHR_DIR ?? join(base, 'kap-real-ehr'), ['--redis-db', process.env.REAL_EHR_REDIS_DB ?? '15']);
  process.env.REAL_EHR_ATOMIC = startServer(process.env.REAL_EHR_ATOMIC_DIR ?? join(base, 'kap-real-ehr-atomic'), [
    '--redis-db',
    process.env.REAL_EHR_ATOMIC_REDIS_DB ?? '14',
    '--transaction-bundles',
  ]);
}

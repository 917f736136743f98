/**
 * Runs the real `kap-fhir` binary (bin/kap-fhir.js → dist/) with this Node, for the tests that
 * prove what a user sees on the command line. dist/ is rebuilt first when it is older than the
 * sources (`npm ci` builds it through `prepare`; a developer's edits make it stale).
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `kap-fhir` binary. */
export const BIN = join(ROOT, 'bin', 'kap-fhir.js');

/** What one run printed and its exit code (null when killed). */
export type CliRun = { status: number | null; stdout: string; stderr: string };

/** Newest modification time of the non-test .ts files under a folder (recursive). */
function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      max = Math.max(max, newest(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
      max = Math.max(max, statSync(p).mtimeMs);
    }
  }
  return max;
}

function builtAt(): number {
  try {
    return statSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds dist/ with this Node when it is older than the sources; throws when there is none. */
export function ensureBuilt(): void {
  if (builtAt() < Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'queues')))) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // tsc emits even when another file has a type error (npm run typecheck reports those): checked below
    }
  }
  if (builtAt() === 0) {
    throw new Error('dist/ is missing: run npm run build');
  }
}

/**
 * Runs the binary without blocking.
 * @param args - the arguments after the program name
 * @param options - working directory (default the project root) and environment (default this one, logs silent)
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd ?? ROOT,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: options.env ?? { ...process.env, LOG_LEVEL: 'silent' },
      },
      (err, stdout, stderr) => {
        const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
        done({ status, stdout, stderr });
      }
    );
  });
}

/**
 * Child processes of the tests run the compiled tree, as users and production do: the `kap-fhir`
 * binary (bin/kap-fhir.js → dist/) or a compiled entry point under dist/, with this Node (the
 * project's Node 24). dist/ is built once per `npm test` by the global setup (test/global-setup.ts)
 * when older than the sources, never by a test: a build in one jest worker would rewrite the files
 * another worker's child is loading.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHILD_START_TIMEOUT_MS } from './timeouts.js';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `kap-fhir` binary. */
export const BIN = join(ROOT, 'bin', 'kap-fhir.js');

/** What one run printed and its exit code (null when killed). */
export type CliRun = { status: number | null; stdout: string; stderr: string };

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

/**
 * Starts a long-running process from dist/ (stdout and stderr piped): the binary (`['bin/kap-fhir.js',
 * 'worker']`) or a compiled entry point (`['dist/src/sandbox/main.js']`).
 * @param argv - script (relative to the project root) and its arguments
 * @param env - extra environment (logs silent unless `LOG_LEVEL` is given here or `CHILD_LOG_LEVEL` is set)
 * @returns the child
 */
export function spawnNode(argv: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Waits until a child prints (stdout or stderr) a line matching `pattern`: its readiness line.
 * @param child - the child (spawned with piped output)
 * @param pattern - text or a regular expression
 * @param timeoutMs - give up after (default {@link CHILD_START_TIMEOUT_MS})
 * @returns the match (a regular expression's groups)
 * @throws when the child exits first or the time runs out, with the end of its output
 */
export function waitForOutput(child: ChildProcess, pattern: string | RegExp, timeoutMs = CHILD_START_TIMEOUT_MS): Promise<RegExpExecArray> {
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  return new Promise((resolve, reject) => {
    let out = '';
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      fn();
    };
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        done(() => resolve(m));
      }
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(() => reject(new Error(`child exited (${code ?? signal}) before printing ${String(re)}: ${out.slice(-2000)}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`child did not print ${String(re)} within ${timeoutMs} ms: ${out.slice(-2000)}`))), timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Resolves with the child's exit (code, signal) — at once when it has already exited.
 * @param child - the child
 */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Stops a child if it still runs (SIGKILL) and waits for its exit.
 * @param child - the child, if any
 */
export async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = exitOf(child);
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * The sandbox EHR for integration tests (real HTTP on 127.0.0.1, port 0). Generic: the HTTP
 * service's tests reuse it.
 */
export { startSandbox, createSandbox, type RunningSandbox, type SandboxControls } from '../../../src/sandbox/sandbox.js';
export { syntheticEpisode } from '../../../src/sandbox/synthetic-episode.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Resource } from '@medplum/fhirtypes';
import type { SandboxControls } from '../../../src/sandbox/sandbox.js';

/** Root of the repository. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The `--import` hook that lets a child process run the TypeScript sources. */
export const TS_HOOKS = fileURLToPath(new URL('../../../scripts/ts-hooks.ts', import.meta.url));

/**
 * Spawns a TypeScript entry point as a real child process (process.execPath = the project's Node 24).
 * @param entry - path relative to the repository root
 * @param env - extra environment
 * @returns the child
 */
export function spawnTs(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', TS_HOOKS, entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Waits until a child prints a line containing `text`.
 * @param child - the child
 * @param text - the text
 * @param timeoutMs - give up after
 */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 30000): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`child did not print "${text}": ${err.slice(-2000)}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before printing "${text}": ${err.slice(-2000)}`));
    });
  });
}

/**
 * Polls until `check` returns true.
 * @param check - the condition
 * @param timeoutMs - give up after (the test then fails on its own assertion)
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Counts resources of a type at the sandbox by identifier `system|value`. */
export async function countByIdentifier(controls: SandboxControls, type: string, system: string, value: string): Promise<number> {
  return (await controls.find<Resource>(type, `${system}|${value}`)).length;
}

/**
 * The sandbox EHR for integration tests (real HTTP on 127.0.0.1, port 0). Generic: the HTTP
 * service's tests reuse it.
 */
export { startSandbox, createSandbox, type RunningSandbox, type SandboxControls } from '../../../src/sandbox/sandbox.js';
export { syntheticEpisode, syntheticSubmission } from '../../../src/sandbox/synthetic-episode.js';
import { fileURLToPath } from 'node:url';
import type { Resource } from '@medplum/fhirtypes';
import type { SandboxControls } from '../../../src/sandbox/sandbox.js';
import { CONDITION_TIMEOUT_MS } from '../../helpers/timeouts.js';

/** Root of the repository. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Polls until `check` returns true.
 * @param check - the condition
 * @param timeoutMs - give up after (the test then fails on its own assertion)
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = CONDITION_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Counts resources of a type at the sandbox by identifier `system|value`. */
export async function countByIdentifier(controls: SandboxControls, type: string, system: string, value: string): Promise<number> {
  return (await controls.find<Resource>(type, `${system}|${value}`)).length;
}

/**
 * Who may import whom (docs/architecture.md, .dependency-cruiser.cjs): the rules hold for the code as
 * it is, and a module that breaks one is reported.
 */
import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DEPCRUISE = join('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
/** Cruising ~320 modules takes a few seconds; on a busy machine many more. */
const CRUISE_TIMEOUT_MS = 120000;

async function cruise(paths: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [DEPCRUISE, ...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { timeout: CRUISE_TIMEOUT_MS });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? 1, out: e.stdout ?? '' };
  }
}

describe('dependency rules', () => {
  test('src, queues and bin keep them', async () => {
    const { code, out } = await cruise(['src', 'queues', 'bin']);
    expect(out).toContain('no dependency violations found');
    expect(code).toBe(0);
  }, CRUISE_TIMEOUT_MS);

  test('a sync module importing the pipeline is reported', async () => {
    const dir = mkdtempSync(join('src', 'sync', 'tmp-architecture-'));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'bad.ts'), "import { mapClinicEpisode } from '../../pipeline/map-clinic-episode.js';\nexport const bad = mapClinicEpisode;\n");
      const { code, out } = await cruise([dir]);
      expect(out).toContain('sync-knows-no-callers');
      expect(code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, CRUISE_TIMEOUT_MS);
});

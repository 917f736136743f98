/**
 * Issue 12: `node bin/kap-fhir.js …` on an older Node died with a page of minified source and
 * `ReferenceError: WebSocket is not defined`. The bin now checks the version before it imports the CLI
 * and says in one line which Node is needed and how to get it. Run under an older Node found on this
 * machine (the system's /usr/bin/node, or any `node` on PATH older than 24); skipped with a notice
 * when there is none.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kap-fhir.js', import.meta.url));
const REQUIRED_MAJOR = 24;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A Node executable older than the required major, if this machine has one. */
function olderNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'node'))]);
  for (const path of candidates) {
    if (!isExecutable(path)) {
      continue;
    }
    const run = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const version = run.stdout?.trim();
    if (run.status === 0 && version && Number(version.split('.')[0]) < REQUIRED_MAJOR) {
      return { path, version };
    }
  }
  return undefined;
}

const older = olderNode();
if (!older) {
  process.stdout.write(`[bin-node-version] skipped: no Node older than ${REQUIRED_MAJOR} on this machine\n`);
}

describe('the kap-fhir bin on an older Node', () => {
  (older ? test : test.skip)('prints one line naming Node 24 and how to get it, and exits non-zero', () => {
    const { path } = older as { path: string };
    for (const args of [['start'], ['map', 'examples/iv-ketamine-trd.json'], []]) {
      const run = spawnSync(path, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
      expect(run.status).not.toBe(0);
      expect(run.status).not.toBeNull();
      expect(run.stdout).toBe('');
      const lines = run.stderr.split('\n').filter((l) => l.length > 0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Node ${REQUIRED_MAJOR} is needed`);
      expect(lines[0]).toContain(`Node v${older?.version}`);
      expect(lines[0]).toContain('npx kap-fhir');
      expect(lines[0]).toContain('npm exec kap-fhir');
      expect(lines[0]).not.toMatch(/ReferenceError|at .*\.js:\d+/);
    }
  });

  test('on the project Node the check lets the CLI run', () => {
    const run = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('usage: kap-fhir');
    expect(run.stderr).not.toContain('is needed');
  });
});

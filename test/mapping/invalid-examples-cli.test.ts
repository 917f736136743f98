/**
 * Each invalid example is rejected by the real `kap-fhir map` binary (exit 1, an OperationOutcome on
 * stdout naming the expected field, without echoing any value). Spawns bin/kap-fhir.js with this Node
 * (process.execPath); the compiled tree in dist/ is rebuilt first when it is older than the sources.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { parseEpisode } from '../../src/kap/index.js';
import { invalidExamples, ROOT } from './example-files.js';

const BIN = join(ROOT, 'bin', 'kap-fhir.js');

/** Newest modification time of the .ts files under a folder (recursive). */
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

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs the binary without blocking (the invalid examples are checked a few at a time). */
function runAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? null : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

function run(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (builtAt() < newest(join(ROOT, 'src'))) {
    // build only when stale, with this Node. tsc emits even when some other file has a type error
    // (npm run typecheck reports those), so the exit status alone does not decide.
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // checked just below
    }
  }
  if (builtAt() === 0) {
    throw new Error('dist/ is missing: run npm run build');
  }
}, 180_000);

describe('kap-fhir map rejects every invalid example', () => {
  const results = new Map<string, Run>();
  beforeAll(async () => {
    const queue = invalidExamples();
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        results.set(next[0], await runAsync(['map', next[1]]));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }, 180_000);

  test.each(invalidExamples())('%s', (name, path, expected) => {
    const r = results.get(name) as Run;
    expect(r.status).toBe(1);
    const oo = JSON.parse(r.stdout) as OperationOutcome;
    expect(oo.resourceType).toBe('OperationOutcome');
    const errors = (oo.issue ?? []).filter((i) => i.severity === 'error');
    expect(errors.map((i) => ({ expression: i.expression?.[0], code: i.code }))).toEqual([expected]);
    // no value of the file is echoed (the patient's name and id are in every example)
    expect(r.stdout).not.toContain('Testperson');
    expect(r.stdout).not.toContain((JSON.parse(readFileSync(path, 'utf8')) as { patient: { id: string } }).patient.id);
  });
});

describe('kap-fhir unmap', () => {
  test('prints the episode of a mapped example (exit 0) and an empty ignored list on stderr', () => {
    const mapped = run(['map', join(ROOT, 'examples', 'esketamine-mdd.json')]);
    expect(mapped.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'kap-unmap-'));
    const tmp = join(dir, 'bundle.json');
    writeFileSync(tmp, mapped.stdout);
    const r = run(['unmap', tmp]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(0);
    const parsed = parseEpisode(JSON.parse(readFileSync(join(ROOT, 'examples', 'esketamine-mdd.json'), 'utf8')));
    expect(parsed.ok && JSON.parse(r.stdout)).toEqual(parsed.ok && parsed.episode);
    expect((JSON.parse(r.stdout) as { sessions: unknown[] }).sessions).toHaveLength(7);
    expect(JSON.parse(r.stderr)).toEqual({ ignored: [] });
  });

  test('exits 1 with an OperationOutcome for a KAP episode file (not a Bundle)', () => {
    const r = run(['unmap', join(ROOT, 'examples', 'iv-ketamine-trd.json')]);
    expect(r.status).toBe(1);
    const oo = JSON.parse(r.stdout) as OperationOutcome;
    expect(oo.issue?.[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['Bundle'] });
  });

  test('exits 2 without a file argument', () => {
    expect(run(['unmap']).status).toBe(2);
  });
});

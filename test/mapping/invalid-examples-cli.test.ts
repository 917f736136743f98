/**
 * Each invalid example is rejected by the real `kap-fhir map` binary (exit 1, an OperationOutcome on
 * stdout naming the expected field, without echoing any value). Spawns bin/kap-fhir.js with this Node
 * (process.execPath); dist/ is built by the global setup (test/global-setup.ts) when older than the sources.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { parseEpisode } from '../../src/kap/index.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { invalidExamples, ROOT } from './example-files.js';


/** Runs the binary and waits (unmap cases). */
const run = (args: string[]): Promise<CliRun> => runCli(args);

describe('kap-fhir map rejects every invalid example', () => {
  const results = new Map<string, CliRun>();
  beforeAll(async () => {
    const queue = invalidExamples();
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        results.set(next[0], await runCli(['map', next[1]]));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }, 180_000);

  test.each(invalidExamples())('%s', (name, path, expected) => {
    const r = results.get(name) as CliRun;
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
  test('prints the episode of a mapped example (exit 0) and an empty ignored list on stderr', async () => {
    // Sent by its own clinic: the round trip gives the episode back as it is (the clinic id included).
    const mapped = await run(['map', join(ROOT, 'examples', 'esketamine-mdd.json'), '--clinic', 'lakeside-behavioral']);
    expect(mapped.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'kap-unmap-'));
    const tmp = join(dir, 'bundle.json');
    writeFileSync(tmp, mapped.stdout);
    const r = await run(['unmap', tmp]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(0);
    const parsed = parseEpisode(JSON.parse(readFileSync(join(ROOT, 'examples', 'esketamine-mdd.json'), 'utf8')));
    expect(parsed.ok && JSON.parse(r.stdout)).toEqual(parsed.ok && parsed.episode);
    expect((JSON.parse(r.stdout) as { sessions: unknown[] }).sessions).toHaveLength(7);
    expect(JSON.parse(r.stderr)).toEqual({ ignored: [] });
  });

  test('exits 1 with an OperationOutcome for a KAP episode file (not a Bundle)', async () => {
    const r = await run(['unmap', join(ROOT, 'examples', 'iv-ketamine-trd.json')]);
    expect(r.status).toBe(1);
    const oo = JSON.parse(r.stdout) as OperationOutcome;
    expect(oo.issue?.[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['Bundle'] });
  });

  test('exits 2 without a file argument', async () => {
    expect((await run(['unmap'])).status).toBe(2);
  });
});

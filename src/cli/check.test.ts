import { afterAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapEpisode } from '../fhir/map-episode.js';
import { parseEpisode } from '../kap/episode.js';
import { checkCommand } from './check.js';

const dir = mkdtempSync(join(tmpdir(), 'kap-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(content: unknown): Promise<{ code: number; out: unknown }> {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(content));
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    return { code: await checkCommand([file]), out: JSON.parse(chunks.join('')) };
  } finally {
    spy.mockRestore();
  }
}

const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8'));

describe('kap-fhir check FILE', () => {
  test('a KAP episode with urgent signals → the signals as [{rule, severity, resources}], exit 0', async () => {
    const { code, out } = await run(example('urgent-signals'));
    expect(code).toBe(0);
    const signals = out as { rule: string; severity: string; resources: string[] }[];
    expect(signals.map((s) => `${s.rule} ${s.severity}`)).toEqual([
      'phq9-item9-positive urgent',
      'bp-predose-high urgent',
      'dose-above-prescription urgent',
    ]);
    expect(signals.every((s) => Object.keys(s).join() === 'rule,severity,resources' && s.resources.every((r) => r.startsWith('urn:uuid:')))).toBe(true);
  });

  test('the mapped Bundle gives the same signals as the episode', async () => {
    const parsed = parseEpisode(example('urgent-signals'));
    if (!parsed.ok) throw new Error('example invalid');
    expect((await run(mapEpisode(parsed.episode))).out).toEqual((await run(example('urgent-signals'))).out);
  });

  test('no signals → [] and exit 0', async () => {
    expect(await run(example('iv-ketamine-trd'))).toEqual({ code: 0, out: [] });
  });

  test('an invalid episode → OperationOutcome, exit 1', async () => {
    const { code, out } = await run({ id: 'x' });
    expect(code).toBe(1);
    expect(out).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});

import { afterAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { scoreCommand } from './score.js';

const dir = mkdtempSync(join(tmpdir(), 'kap-score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(content: unknown): Promise<{ code: number; out: unknown }> {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    const code = await scoreCommand([file]);
    return { code, out: JSON.parse(chunks.join('')) };
  } finally {
    spy.mockRestore();
  }
}

describe('kap-fhir score FILE', () => {
  test('a KAP submission → collection Bundle with the response and the total Observation (exit 0)', async () => {
    const { code, out } = await run({ instrument: 'gad7', authored: '2026-03-02T09:30:00-05:00', answers: [2, 2, 1, 1, 2, 1, 1] });
    expect(code).toBe(0);
    const bundle = out as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry?.map((e) => e.resource?.resourceType)).toEqual(['QuestionnaireResponse', 'Observation']);
    const obs = bundle.entry?.[1].resource as Observation;
    expect(obs.valueInteger).toBe(10);
    expect(obs.interpretation?.[0].coding?.[0].code).toBe('moderate');
    expect(obs.derivedFrom?.[0].reference).toBe(bundle.entry?.[0].fullUrl);
  });

  test('the same FHIR QuestionnaireResponse scores the same, and the output is deterministic', async () => {
    const first = (await run({ instrument: 'gad7', authored: '2026-03-02T09:30:00-05:00', answers: [2, 2, 1, 1, 2, 1, 1] })).out as Bundle;
    const qr = first.entry?.[0].resource;
    const again = (await run(qr)).out as Bundle;
    expect((again.entry?.[1].resource as Observation).valueInteger).toBe(10);
    expect((await run(qr)).out).toEqual(again);
  });

  test('missing items → OperationOutcome naming them, exit 1', async () => {
    const { code, out } = await run({ instrument: 'phq9', authored: '2026-03-02T09:30:00-05:00', answers: { 'phq9-1': 1 } });
    expect(code).toBe(1);
    const oo = out as OperationOutcome;
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue?.map((i) => i.expression?.[0])).toEqual(['phq9-2', 'phq9-3', 'phq9-4', 'phq9-5', 'phq9-6', 'phq9-7', 'phq9-8', 'phq9-9'].map((l) => `answers.${l}`));
    expect(oo.issue?.every((i) => i.code === 'incomplete')).toBe(true);
  });

  test('not JSON → OperationOutcome, exit 1; no argument → usage, exit 2', async () => {
    expect(await run('{ not json')).toMatchObject({ code: 1, out: { resourceType: 'OperationOutcome' } });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await scoreCommand([])).toBe(2);
    err.mockRestore();
  });
});

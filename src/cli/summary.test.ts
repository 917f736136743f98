import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Composition, DocumentReference, OperationOutcome } from '@medplum/fhirtypes';
import { extractText, getDocumentProxy } from 'unpdf';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import { main } from './main.js';

let dir: string;
const example = (name: string): string => new URL(`../../examples/${name}.json`, import.meta.url).pathname;

/** Runs the CLI, capturing stdout and stderr. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out.push(String(c));
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err.push(String(c));
    return true;
  });
  try {
    return { code: await main(argv), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function pdfText(path: string): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(readFileSync(path))), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

describe('kap-fhir summary', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kap-summary-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('FILE --out: the PDF of the last dosing session (exit 0)', async () => {
    const out = join(dir, 'last.pdf');
    const { code } = await run(['summary', example('held-dose-bp'), '--out', out]);
    expect(code).toBe(0);
    const text = await pdfText(out);
    // the last dosing session of held-dose-bp is h-03, given after the held h-02
    expect(text).toContain('session h-03 of episode ep-4120');
    expect(text).toContain('GIVEN:');
  });

  test('--session ID picks the session; the same file twice gives the same bytes', async () => {
    const a = join(dir, 'h02-a.pdf');
    const b = join(dir, 'h02-b.pdf');
    expect((await run(['summary', example('held-dose-bp'), '--session', 'h-02', '--out', a])).code).toBe(0);
    expect((await run(['summary', example('held-dose-bp'), '--session=h-02', `--out=${b}`])).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const text = await pdfText(a);
    expect(text).toContain('HELD - NOT GIVEN');
    expect(text).toContain('174/106');
  });

  test('--format fhir: the document Bundle on stdout, Composition first, for the clinic given', async () => {
    const { code, out } = await run(['summary', example('esketamine-self-administered'), '--format', 'fhir', '--clinic', 'clinic-x']);
    expect(code).toBe(0);
    const bundle = JSON.parse(out) as Bundle;
    expect(bundle.type).toBe('document');
    const composition = bundle.entry?.[0]?.resource as Composition;
    expect(composition.resourceType).toBe('Composition');
    expect(composition.identifier?.system).toBe(clinicIdentifierSystem('clinic-x'));
    expect(composition.identifier?.value).toBe('ep-5230/summary-e-02');
    expect((await run(['summary', example('esketamine-self-administered'), '--format', 'fhir', '--clinic', 'clinic-x'])).out).toBe(out);
  });

  test('--format docref --out: the DocumentReference with the session\'s PDF', async () => {
    const path = join(dir, 'docref.json');
    const { code } = await run(['summary', example('urgent-signals'), '--format', 'docref', '--out', path]);
    expect(code).toBe(0);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as DocumentReference;
    expect(doc.resourceType).toBe('DocumentReference');
    expect(doc.identifier?.[0]).toEqual({ system: clinicIdentifierSystem('demo-clinic'), value: 'ep-9001/summary-u-02' });
    const pdf = Buffer.from(doc.content[0]?.attachment.data as string, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(doc.content[0]?.attachment.size).toBe(pdf.length);
  });

  test('--episode --out: the episode summary PDF, every dosing session in it (exit 0); the same file gives the same bytes', async () => {
    const a = join(dir, 'episode-a.pdf');
    const b = join(dir, 'episode-b.pdf');
    const { code, err } = await run(['summary', example('held-dose-bp'), '--episode', '--out', a]);
    expect(code).toBe(0);
    expect(err).toContain('episode summary PDF written');
    expect((await run(['summary', example('held-dose-bp'), `--out=${b}`, '--episode'])).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const text = await pdfText(a);
    expect(text).toContain('Episode ep-4120: 2 dosing sessions (1 given)');
    expect(text).toContain('HELD: Blood pressure high');
    expect(text).toContain('GIVEN');
    expect(text).toContain('episode ep-4120 - from the FHIR record');
  });

  test('--episode --format fhir: the episode document Bundle on stdout (Composition kap-episode-summary first), stable', async () => {
    const argv = ['summary', example('esketamine-mdd'), '--episode', '--format', 'fhir', '--clinic', 'clinic-x'];
    const { code, out } = await run(argv);
    expect(code).toBe(0);
    const bundle = JSON.parse(out) as Bundle;
    expect(bundle.type).toBe('document');
    const composition = bundle.entry?.[0]?.resource as Composition;
    expect(composition.meta?.profile).toEqual(['https://kap-fhir.org/fhir/StructureDefinition/kap-episode-summary']);
    expect(composition.identifier).toEqual({ system: clinicIdentifierSystem('clinic-x'), value: 'ep-3310/episode-summary' });
    expect(composition.section?.find((s) => s.code?.coding?.[0]?.code === 'dosing-sessions')?.entry).toHaveLength(4);
    expect((await run(argv)).out).toBe(out);
  });

  test('--episode on an episode without a dosing session: exit 1, not-found', async () => {
    const episode = JSON.parse(readFileSync(example('held-dose-bp'), 'utf8')) as { sessions: { kind: string }[] };
    const path = join(dir, 'no-dose-episode.json');
    writeFileSync(path, JSON.stringify({ ...episode, sessions: episode.sessions.filter((s) => s.kind !== 'dosing') }));
    const { code, out } = await run(['summary', path, '--episode', '--format', 'fhir']);
    expect(code).toBe(1);
    expect((JSON.parse(out) as OperationOutcome).issue?.[0]).toMatchObject({ code: 'not-found', expression: ['sessions'] });
  });

  test('usage errors exit 2', async () => {
    const file = example('held-dose-bp');
    for (const argv of [
      ['summary'],
      ['summary', file], // a PDF needs --out
      ['summary', file, '--format', 'html', '--out', join(dir, 'x')],
      ['summary', file, '--session'],
      ['summary', file, '--session', 'a/b', '--out', join(dir, 'x')],
      ['summary', file, '--clinic', 'a b', '--format', 'fhir'],
      ['summary', file, file, '--format', 'fhir'],
      ['summary', file, '--out', 'a', '--out', 'b'],
      ['summary', file, '--episode', '--session', 'h-02', '--out', join(dir, 'x')], // one session or the episode
      ['summary', file, '--session=h-02', '--episode', '--format', 'fhir'],
      ['summary', file, '--episode', '--format', 'docref'], // the episode has no DocumentReference
      ['summary', file, '--episode'], // a PDF needs --out
      ['summary', file, '--episode', '--episode', '--format', 'fhir'],
    ]) {
      const { code, err } = await run(argv);
      expect([argv.join(' '), code]).toEqual([argv.join(' '), 2]);
      expect(err).toContain('usage: kap-fhir summary');
    }
  });

  test('an invalid episode exits 1 with the OperationOutcome of kap-fhir map', async () => {
    const file = example('invalid/dose-zero');
    const summary = await run(['summary', file, '--format', 'fhir']);
    const map = await run(['map', file]);
    expect(summary.code).toBe(1);
    expect(map.code).toBe(1);
    expect(JSON.parse(summary.out)).toEqual(JSON.parse(map.out));
    expect((JSON.parse(summary.out) as OperationOutcome).issue?.[0]?.expression).toEqual(['sessions[1].dose.value']);
  });

  test('no such session, or no dosing session: exit 1, not-found, no value echoed', async () => {
    const { code, out } = await run(['summary', example('held-dose-bp'), '--session', 'nope-42', '--format', 'fhir']);
    expect(code).toBe(1);
    expect((JSON.parse(out) as OperationOutcome).issue?.[0]?.code).toBe('not-found');
    expect(out).not.toContain('nope-42');
    const episode = JSON.parse(readFileSync(example('held-dose-bp'), 'utf8')) as { sessions: { kind: string }[] };
    const path = join(dir, 'no-dose.json');
    writeFileSync(path, JSON.stringify({ ...episode, sessions: episode.sessions.filter((s) => s.kind !== 'dosing') }));
    const none = await run(['summary', path, '--format', 'fhir']);
    expect(none.code).toBe(1);
    expect((JSON.parse(none.out) as OperationOutcome).issue).toEqual([
      { severity: 'error', code: 'not-found', details: { text: 'The episode has no dosing session' }, expression: ['sessions'] },
    ]);
  });
});

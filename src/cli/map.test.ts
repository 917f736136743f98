import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { fixtureEpisode } from '../fhir/__test__/fixture-episode.js';
import { parseEpisode } from '../kap/episode.js';
import { mapClinicEpisodeWithSummaries } from '../pipeline/map-clinic-episode.js';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import { main } from './main.js';
import { mapCommand, mapFile } from './map.js';

let dir: string;
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Runs a command, capturing stdout. */
async function run(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await fn();
    return { code, out: chunks.join('') };
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
}

describe('kap-fhir map', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kap-map-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid episode prints the Bundle the EHR receives for the demo clinic, signals included, and exits 0', async () => {
    const path = file('ok.json', JSON.stringify(fixtureEpisode()));
    const { code, out } = await run(() => main(['map', path]));
    expect(code).toBe(0);
    const bundle = JSON.parse(out) as Bundle;
    expect(bundle.type).toBe('transaction');
    // 37 mapped resources, 8 safety signals (a DetectedIssue and a Communication each) and the summaries of its 2 dosing
    // sessions (a Composition and a PDF DocumentReference each), before the Provenance: the fixture records no
    // medication review and few vitals, so the monitoring rules of issue 13 fire on it
    expect(bundle.entry?.length).toBe(58);
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'DocumentReference')).toHaveLength(2);
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'DetectedIssue')).toHaveLength(8);
    expect(bundle.entry?.at(-1)?.resource?.resourceType).toBe('Provenance');
    expect(bundle.identifier?.system).toBe(clinicIdentifierSystem('demo-clinic'));
  });

  test('--clinic ID: the clinic is the tenant, never the body\'s (the same as the pipeline maps it)', async () => {
    const episode = fixtureEpisode();
    const path = file('clinic.json', JSON.stringify(episode));
    const { code, out } = await run(() => main(['map', path, '--clinic', 'clinic-x']));
    expect(code).toBe(0);
    const parsed = parseEpisode(episode);
    expect(parsed.ok && JSON.parse(out)).toEqual(parsed.ok && (await mapClinicEpisodeWithSummaries(parsed.episode, 'clinic-x')).bundle);
    expect(out).not.toContain(clinicIdentifierSystem(episode.clinic.id));
    const inline = await run(() => mapCommand([`--clinic=clinic-x`, path]));
    expect(inline.out).toBe(out);
  });

  test('--clinic without an id, or with one that is no FHIR id, is a usage error (exit 2)', async () => {
    const path = file('usage.json', JSON.stringify(fixtureEpisode()));
    expect((await run(() => mapCommand([path, '--clinic']))).code).toBe(2);
    expect((await run(() => mapCommand([path, '--clinic', 'a/b']))).code).toBe(2);
    expect((await run(() => mapCommand([path, path]))).code).toBe(2);
  });

  test('the same file twice prints the same bytes', async () => {
    const path = file('twice.json', JSON.stringify(fixtureEpisode()));
    const a = await run(() => mapCommand([path]));
    const b = await run(() => mapCommand([path]));
    expect(a.out).toBe(b.out);
  });

  test('an invalid episode prints an OperationOutcome naming the field, not the value, and exits 1', async () => {
    const ep = fixtureEpisode();
    ep.patient.birthDate = '2999-01-01';
    const { code, out } = await run(() => mapCommand([file('bad.json', JSON.stringify(ep))]));
    expect(code).toBe(1);
    const o = JSON.parse(out) as OperationOutcome;
    expect(o.resourceType).toBe('OperationOutcome');
    expect(o.issue.map((i) => i.expression?.[0])).toEqual(['patient.birthDate']);
    expect(out).not.toContain('2999');
  });

  test('unparseable JSON → OperationOutcome, exit 1, content not echoed', async () => {
    const { code, out } = await run(() => mapCommand([file('broken.json', '{"patient": "Avery Testperson",')]));
    expect(code).toBe(1);
    expect((JSON.parse(out) as OperationOutcome).issue[0]).toMatchObject({ severity: 'error', code: 'structure' });
    expect(out).not.toContain('Avery');
  });

  test('an unreadable file → OperationOutcome, exit 1', async () => {
    const { code, out } = await run(() => mapCommand([join(dir, 'missing.json')]));
    expect(code).toBe(1);
    expect((JSON.parse(out) as OperationOutcome).issue[0]).toMatchObject({ severity: 'error', code: 'not-found' });
  });

  test('a usage error exits 2', async () => {
    expect((await run(() => mapCommand([]))).code).toBe(2);
  });

  test('mapFile returns the Bundle for a valid file', async () => {
    const r = await mapFile(file('ok2.json', JSON.stringify(fixtureEpisode())));
    expect(r.ok && r.bundle.identifier?.value).toBe('episode-ep-1001-v3');
  });
});

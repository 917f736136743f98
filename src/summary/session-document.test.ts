import { describe, expect, test } from '@jest/globals';
import type { Bundle, Composition, CompositionSection } from '@medplum/fhirtypes';
import { referencesOf } from '../sync/entry-references.js';
import { validate } from '../validation/index.js';
import { exampleBundle, fixtureBundle, fixtureMaUrl, fixtureSessionView, maFullUrlOf } from './__test__/session-view-fixture.js';
import { sessionView } from './read-session-view.js';
import { sessionSummaryDocument } from './session-document.js';
import type { SessionView } from './session-view.js';

const TIMESTAMP = '2026-08-10T12:00:00-07:00';

function documentOf(name: string, sessionId: string): { view: SessionView; doc: Bundle } {
  const bundle = exampleBundle(name);
  const ma = maFullUrlOf(bundle, sessionId);
  const view = sessionView(bundle, ma);
  return { view, doc: sessionSummaryDocument(view, bundle, ma, { timestamp: TIMESTAMP, version: 1 }) };
}

const composition = (doc: Bundle): Composition => doc.entry?.[0]?.resource as Composition;
const section = (doc: Bundle, code: string): CompositionSection | undefined =>
  composition(doc).section?.find((s) => s.code?.coding?.[0]?.code === code);
const errorsOf = (doc: Bundle): string[] =>
  (validate(doc).issue ?? [])
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.code} ${i.expression?.join(',')}: ${i.details?.text}`);

describe('sessionSummaryDocument', () => {
  const fixture = sessionSummaryDocument(fixtureSessionView(), fixtureBundle(), fixtureMaUrl(), { timestamp: TIMESTAMP, version: 3 });

  test('a document Bundle: Composition first, identifier, timestamp, no transaction requests', () => {
    expect(fixture.type).toBe('document');
    expect(fixture.timestamp).toBe(TIMESTAMP);
    expect(fixture.identifier).toEqual({ system: 'https://kap-fhir.org/fhir/clinic/c1', value: 'ep-5230/summary-e-02-v3' });
    const c = composition(fixture);
    expect(c.resourceType).toBe('Composition');
    expect(c.meta?.profile).toEqual(['https://kap-fhir.org/fhir/StructureDefinition/kap-session-summary']);
    expect(c.status).toBe('final');
    expect(c.type.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '11506-3' });
    expect(c.identifier?.value).toBe('ep-5230/summary-e-02');
    expect(fixture.entry?.every((e) => e.fullUrl?.startsWith('urn:uuid:') && e.request === undefined)).toBe(true);
    expect(fixture.entry?.some((e) => e.resource?.resourceType === 'Provenance')).toBe(false);
  });

  test('every reference of every entry resolves inside the document (R4 document rule)', () => {
    const urls = new Set(fixture.entry?.map((e) => e.fullUrl));
    const dangling = (fixture.entry ?? []).flatMap((e) => referencesOf(e.resource)).filter((r) => !urls.has(r));
    expect(dangling).toEqual([]);
    expect(urls.size).toBe(fixture.entry?.length);
  });

  test('the sections, in order, each with a generated XHTML narrative', () => {
    const codes = composition(fixture).section?.map((s) => s.code?.coding?.[0]?.code);
    expect(codes).toEqual([
      'prescription',
      'dose',
      'medications',
      'vital-signs',
      'dissociation-sedation',
      'side-effects',
      'signals',
      'scores',
      'care-team',
      'plan',
    ]);
    for (const s of composition(fixture).section ?? []) {
      expect(s.text?.status).toBe('generated');
      expect(s.text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.*<\/div>$/s);
      expect(s.text?.div).not.toMatch(/<script|on\w+=|javascript:/i);
    }
  });

  test('the narrative holds the figures of the session', () => {
    const dose = section(fixture, 'dose')?.text?.div ?? '';
    expect(dose).toContain('56 mg');
    expect(dose).toContain('ESK-2026-0815');
    expect(dose).toContain('2 devices');
    expect(dose).toContain('Given');
    const vitals = section(fixture, 'vital-signs')?.text?.div ?? '';
    for (const figure of ['124/78', '136/86', '126/80', '<td>14</td>', '<td>97</td>', '09:50']) {
      expect(vitals).toContain(figure);
    }
    expect(vitals).toContain('<th scope="col">BP (mmHg)</th>');
    expect(section(fixture, 'dissociation-sedation')?.text?.div).toContain('MOAA/S 4 at 09:50');
    expect(section(fixture, 'scores')?.text?.div).toContain('Baseline 14 (2026-08-03).');
    expect(section(fixture, 'plan')?.text?.div).toContain('Continue the current dose, next dose 56 mg');
    expect(section(fixture, 'signals')?.emptyReason?.coding?.[0]?.code).toBe('nilknown');
  });

  test('section entries cite the resources shown: 7 vital Observations, the dose, the side effect', () => {
    expect(section(fixture, 'vital-signs')?.entry).toHaveLength(7);
    const byUrl = new Map(fixture.entry?.map((e) => [e.fullUrl, e.resource]));
    expect(byUrl.get(section(fixture, 'dose')?.entry?.[0]?.reference)?.resourceType).toBe('MedicationAdministration');
    expect(section(fixture, 'side-effects')?.entry?.map((r) => byUrl.get(r.reference)?.resourceType)).toEqual(['AdverseEvent']);
    expect(section(fixture, 'care-team')?.entry?.map((r) => byUrl.get(r.reference)?.resourceType)).toEqual(['Practitioner', 'Practitioner']);
  });

  test('text from the record is escaped, never markup', () => {
    const view = { ...fixtureSessionView(), plan: { recommendation: 'x', time: TIMESTAMP, note: '<script>alert("x")</script> & <b>' } };
    const doc = sessionSummaryDocument(view, fixtureBundle(), fixtureMaUrl(), { timestamp: TIMESTAMP });
    const div = section(doc, 'plan')?.text?.div ?? '';
    expect(div).not.toContain('<script>');
    expect(div).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;');
  });

  test('the fixture document validates against kap-session-summary and the profiles of its entries', () => {
    expect(errorsOf(fixture)).toEqual([]);
  });

  test('a Composition without its dose section fails the profile (the validator checks it)', () => {
    const c = composition(fixture);
    const broken: Bundle = { ...fixture, entry: [{ ...fixture.entry?.[0], resource: { ...c, section: c.section?.filter((s) => s.code?.coding?.[0]?.code !== 'dose') } }, ...(fixture.entry ?? []).slice(1)] };
    expect(errorsOf(broken).length).toBeGreaterThan(0);
  });

  test.each([
    ['urgent-signals', 'u-02'],
    ['held-dose-bp', 'h-02'],
    ['sublingual-lozenge-ptsd', 'lz-05'],
  ])('%s %s: validates, and states its signals, status and scores', (name, sessionId) => {
    const { view, doc } = documentOf(name, sessionId);
    expect(errorsOf(doc)).toEqual([]);
    expect(section(doc, 'signals')?.entry ?? []).toHaveLength(view.signals.length);
    for (const s of view.signals) {
      expect(section(doc, 'signals')?.text?.div).toContain(s.display);
    }
    if (view.dose.status === 'held') {
      expect(section(doc, 'dose')?.text?.div).toContain('Held: Blood pressure high');
    }
    for (const t of view.scores) {
      expect(section(doc, 'scores')?.text?.div).toContain(`${t.title} over the episode`);
    }
  });

  test('sublingual-lozenge-ptsd lz-05: response and remission are stated', () => {
    const { doc } = documentOf('sublingual-lozenge-ptsd', 'lz-05');
    const div = section(doc, 'scores')?.text?.div ?? '';
    expect(div).toMatch(/GAD-7 \(0–21\): <\/b>Baseline \d+ \(\d{4}-\d\d-\d\d\)\. Latest \d+ \([^)]+\): 64\.3 % better than baseline, response, no remission\./);
  });

  test('im-ketamine-complications c-03: the unscored PHQ-9 and the C-SSRS results up to the session, cited; it validates', () => {
    const { doc } = documentOf('im-ketamine-complications', 'c-03');
    expect(errorsOf(doc)).toEqual([]);
    const div = section(doc, 'scores')?.text?.div ?? '';
    expect(div).toContain('<tr><td>2026-09-08</td><td>not scored: item 9 unanswered</td>');
    expect(div).toContain('<tr><td>2026-09-01 09:10</td><td>screener, recent</td><td>None</td><td></td></tr>');
    expect(div).toContain('<tr><td>2026-09-11 09:10</td><td>screener, since last visit</td><td>High</td><td>answers contradict each other, this session</td></tr>');
    const cited = (section(doc, 'scores')?.entry ?? []).map((r) => doc.entry?.find((e) => e.fullUrl === r.reference)?.resource);
    expect(cited.filter((r) => r?.resourceType === 'Observation' && r.code.coding?.[0]?.code === '93374-7')).toHaveLength(2);
    // c-02 shows the assessment's screener only (the since-last-visit one came later)
    const c02 = section(documentOf('im-ketamine-complications', 'c-02').doc, 'scores')?.text?.div ?? '';
    expect(c02).toContain('screener, recent');
    expect(c02).not.toContain('since last visit');
  });
});

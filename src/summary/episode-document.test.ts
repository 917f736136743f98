/**
 * The episode summary document: a `document` Bundle (Composition kap-episode-summary first) that validates with the
 * project's validator, states every dosing session with its dose and status, the scores and the signals, and fails
 * the profile without its dosing sessions section.
 */
import { describe, expect, test } from '@jest/globals';
import type { Bundle, Composition, CompositionSection } from '@medplum/fhirtypes';
import { referencesOf } from '../sync/entry-references.js';
import { validate } from '../validation/index.js';
import { exampleBundle } from './__test__/session-view-fixture.js';
import { episodeSummaryDocument } from './episode-document.js';
import type { EpisodeSummaryView } from './episode-view.js';
import { episodeSummaryView } from './read-episode-view.js';

const TIMESTAMP = '2026-11-12T18:00:00Z';

function documentOf(name: string): { view: EpisodeSummaryView; doc: Bundle } {
  const bundle = exampleBundle(name);
  const view = episodeSummaryView(bundle, 'c1');
  return { view, doc: episodeSummaryDocument(view, bundle, { timestamp: TIMESTAMP, version: 2 }) };
}

const composition = (doc: Bundle): Composition => doc.entry?.[0]?.resource as Composition;
const section = (doc: Bundle, code: string): CompositionSection | undefined => composition(doc).section?.find((s) => s.code?.coding?.[0]?.code === code);
const errorsOf = (doc: Bundle): string[] =>
  (validate(doc).issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.code} ${i.expression?.join(',')}: ${i.details?.text}`);

describe('episodeSummaryDocument', () => {
  const held = documentOf('held-dose-bp');

  test('a document Bundle: Composition kap-episode-summary first, LOINC 34133-9, the EpisodeOfCare as its event', () => {
    expect(held.doc.type).toBe('document');
    expect(held.doc.timestamp).toBe(TIMESTAMP);
    expect(held.doc.identifier).toEqual({ system: 'https://kap-fhir.org/fhir/clinic/c1', value: 'ep-4120/episode-summary-v2' });
    const c = composition(held.doc);
    expect(c.meta?.profile).toEqual(['https://kap-fhir.org/fhir/StructureDefinition/kap-episode-summary']);
    expect(c.type.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '34133-9' });
    expect(c.identifier?.value).toBe('ep-4120/episode-summary');
    expect(c.encounter).toBeUndefined();
    const byUrl = new Map(held.doc.entry?.map((e) => [e.fullUrl, e.resource]));
    expect(byUrl.get(c.event?.[0]?.detail?.[0]?.reference)?.resourceType).toBe('EpisodeOfCare');
    expect(c.event?.[0]?.period).toEqual(held.view.period);
    expect(c.section?.map((s) => s.code?.coding?.[0]?.code)).toEqual(['prescription', 'dosing-sessions', 'scores', 'signals', 'plan', 'care-team']);
    expect(held.doc.entry?.every((e) => e.fullUrl?.startsWith('urn:uuid:') && e.request === undefined)).toBe(true);
  });

  test('every reference resolves inside the document', () => {
    const urls = new Set(held.doc.entry?.map((e) => e.fullUrl));
    expect((held.doc.entry ?? []).flatMap((e) => referencesOf(e.resource)).filter((r) => !urls.has(r))).toEqual([]);
  });

  test('every dosing session appears with its dose and status, citing its MedicationAdministration', () => {
    const s = section(held.doc, 'dosing-sessions');
    const div = s?.text?.div ?? '';
    expect(div).toContain('2 dosing sessions, 1 with a dose given.');
    expect(div).toMatch(/<td>2026-11-09 09:20<\/td><td>h-02<\/td><td>ketamine<\/td><td>Intravenous route<\/td><td><\/td><td>35\.6<\/td><td>0\.5<\/td><td>Held: Blood pressure high<\/td><td><\/td><td>174\/106<\/td><td>0<\/td>/);
    expect(div).toMatch(/<td>h-03<\/td>.*<td>35\.5<\/td><td>0\.5<\/td><td>Given<\/td><td>97<\/td><td>146\/90<\/td>/);
    const byUrl = new Map(held.doc.entry?.map((e) => [e.fullUrl, e.resource]));
    expect(s?.entry?.map((r) => byUrl.get(r.reference)?.resourceType)).toEqual(['MedicationAdministration', 'MedicationAdministration']);
  });

  test.each(['held-dose-bp', 'urgent-signals', 'esketamine-mdd', 'sublingual-lozenge-ptsd', 'iv-ketamine-trd'])('%s: validates against kap-episode-summary and its entries\' profiles', (name) => {
    const { view, doc } = name === 'held-dose-bp' ? held : documentOf(name);
    expect(errorsOf(doc)).toEqual([]);
    for (const s of view.sessions) {
      expect(section(doc, 'dosing-sessions')?.text?.div).toContain(`<td>${s.sessionId}</td>`);
    }
    for (const t of view.scores) {
      expect(section(doc, 'scores')?.text?.div).toContain(`${t.title} over the episode`);
    }
  });

  test('urgent-signals: the signals with their state and session; the scores; the latest plan', () => {
    const { doc } = documentOf('urgent-signals');
    const signals = section(doc, 'signals');
    expect(signals?.entry).toHaveLength(3);
    expect(signals?.text?.div).toContain('<b>URGENT: Pre-dose blood pressure high. </b>');
    expect(signals?.text?.div).toContain('(raised, prescriber notified; about session u-02 (2026-09-14))');
    expect(section(doc, 'plan')?.text?.div).toContain('Latest plan (session u-02, 2026-09-14): Reassess before the next dose');
  });

  test('esketamine-mdd: PHQ-9 from baseline 19 to 3, remission', () => {
    const { doc } = documentOf('esketamine-mdd');
    expect(section(doc, 'scores')?.text?.div).toMatch(/PHQ-9 \(0–27\): <\/b>Baseline 19 \([\d-]+\)\. Latest 3 \([\d-]+\): [\d.]+ % better than baseline, response, remission\./);
    expect(section(doc, 'signals')?.emptyReason?.coding?.[0]?.code).toBe('nilknown');
  });

  test('a Composition without its dosing sessions section fails the profile', () => {
    const c = composition(held.doc);
    const broken: Bundle = {
      ...held.doc,
      entry: [{ ...held.doc.entry?.[0], resource: { ...c, section: c.section?.filter((s) => s.code?.coding?.[0]?.code !== 'dosing-sessions') } }, ...(held.doc.entry ?? []).slice(1)],
    };
    expect(errorsOf(broken).length).toBeGreaterThan(0);
  });

  test('im-ketamine-complications: the unscored PHQ-9 and the C-SSRS results in the scores section, cited; it validates', () => {
    const { doc } = documentOf('im-ketamine-complications');
    expect(errorsOf(doc)).toEqual([]);
    const scores = section(doc, 'scores');
    expect(scores?.text?.div).toContain('<tr><td>2026-09-08</td><td>not scored: item 9 unanswered</td>');
    expect(scores?.text?.div).toContain('<tr><td>2026-09-01 09:10</td><td>screener, recent</td><td>None</td><td></td></tr>');
    expect(scores?.text?.div).toContain('<tr><td>2026-09-11 09:10</td><td>screener, since last visit</td><td>High</td><td>answers contradict each other</td></tr>');
    const cited = (scores?.entry ?? []).map((r) => doc.entry?.find((e) => e.fullUrl === r.reference)?.resource);
    expect(cited.filter((r) => r?.resourceType === 'QuestionnaireResponse').map((r) => (r as { identifier?: { value?: string } }).identifier?.value)).toEqual(['ep-7350/c-qr-3']);
    expect(cited.filter((r) => r?.resourceType === 'Observation' && r.code.coding?.[0]?.code === '93374-7')).toHaveLength(2);
  });
});

import { describe, expect, test } from '@jest/globals';
import { readPdf } from '../__test__/read-pdf.js';
import { exampleBundle } from '../__test__/session-view-fixture.js';
import { episodeSummaryView } from '../read-episode-view.js';
import { episodeSummaryPdf, rowDoseText, rowStatusText } from './episode-summary-pdf.js';

const read = readPdf;

describe('episodeSummaryPdf', () => {
  test('esketamine-mdd: the first page has the patient, the episode, the prescriptions and the plan; every session in the table', async () => {
    const view = episodeSummaryView(exampleBundle('esketamine-mdd'), 'c1');
    const pdf = await episodeSummaryPdf(view);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, all } = await read(pdf);
    const first = pages[0] as string;
    expect(first).toContain(view.patient.name);
    expect(first).toContain('Episode ep-3310: 4 dosing sessions (4 given)');
    expect(first).toContain('Prescription rx-56');
    expect(first).toContain('Prescription rx-84');
    expect(first).toContain('Latest plan');
    expect(first).toContain('No safety signal in this episode.');
    expect(all).toContain('Dosing sessions (4)');
    expect(all.match(/GIVEN/g)).toHaveLength(4);
    expect(all.match(/84 mg/g)?.length).toBeGreaterThanOrEqual(3);
    expect(all).toContain('56 mg');
    for (const s of view.sessions) {
      expect(all).toContain(`${s.highestBp?.systolic}/${s.highestBp?.diastolic}`);
    }
    // the score trajectory: line, chart labels and table
    expect(all).toContain('PHQ-9 (0-27)');
    expect(all).toMatch(/Baseline 19 \([^)]+\); latest 3 \([^)]+\): \d+ % better than baseline, REMISSION\./);
    expect(all).toContain('19/27');
    expect(all).toContain('Care team');
    expect(all).toContain('episode ep-3310 - from the FHIR record - page 1 of');
  });

  test('held-dose-bp: the held dose, its reason, its mg/kg and its BP; urgent-signals: the signals with their state', async () => {
    const held = await read(await episodeSummaryPdf(episodeSummaryView(exampleBundle('held-dose-bp'), 'c1')));
    expect(held.all).toContain('HELD: Blood pressure high');
    expect(held.all).toContain('35.6 mg (0.5 mg/kg)');
    expect(held.all).toContain('174/106');
    const urgent = await read(await episodeSummaryPdf(episodeSummaryView(exampleBundle('urgent-signals'), 'c1')));
    expect(urgent.pages[0]).toContain('Safety signals of the episode (3)');
    expect(urgent.pages[0]).toContain('URGENT: PHQ-9 item 9 positive');
    expect(urgent.pages[0]).toContain('raised, prescriber notified; about session u-02');
  });

  test('the same view gives the same bytes; the date is the episode\'s; no name in the metadata', async () => {
    const view = episodeSummaryView(exampleBundle('held-dose-bp'), 'c1');
    const a = await episodeSummaryPdf(view);
    const b = await episodeSummaryPdf(structuredClone(view));
    expect(a.equals(b)).toBe(true);
    const { info } = await read(a);
    expect(info.Title).toBe('Ketamine treatment episode summary 2026-11-09');
    expect(String(info.CreationDate)).toMatch(/^D:20261112/);
    expect(JSON.stringify(info)).not.toContain('Testperson');
  });

  test('rowDoseText and rowStatusText', () => {
    const dose = { product: 'ketamine', esketamine: false, route: 'Intravenous route', status: 'given' as const, start: '', selfAdministered: false };
    expect(rowDoseText({ ...dose, mg: 35, mgPerKg: 0.5 })).toBe('35 mg (0.5 mg/kg)');
    expect(rowDoseText(dose)).toBe('-');
    expect(rowStatusText({ ...dose, status: 'refused', statusReason: 'Patient refused' })).toBe('REFUSED: Patient refused');
    expect(rowStatusText({ ...dose, statusReason: 'ignored' })).toBe('GIVEN');
  });

  test('im-ketamine-complications: every C-SSRS result, and the PHQ-9 that could not be scored', async () => {
    const { all } = await read(await episodeSummaryPdf(episodeSummaryView(exampleBundle('im-ketamine-complications'), 'c1')));
    expect(all).toContain(
      'Suicide risk screening (C-SSRS) Date Version Risk Note 1 Sep 2026 09:10 screener, recent None - 11 Sep 2026 09:10 screener, since last visit HIGH answers contradict each other'
    );
    expect(all).toContain('8 Sep 2026 09:05 not scored: item 9 unanswered');
  });
});

import { describe, expect, test } from '@jest/globals';
import { readPdf } from '../__test__/read-pdf.js';
import { exampleBundle, fixtureSessionView, maFullUrlOf } from '../__test__/session-view-fixture.js';
import { sessionView } from '../read-session-view.js';
import type { SessionView } from '../session-view.js';
import { sessionSummaryPdf, signalsBySeverity } from './session-summary-pdf.js';

const read = readPdf;

/** The view of a dosing session of an example, read from its mapped Bundle. */
function exampleView(name: string, sessionId: string): SessionView {
  const bundle = exampleBundle(name);
  return sessionView(bundle, maFullUrlOf(bundle, sessionId));
}

describe('sessionSummaryPdf', () => {
  test('a given dose: the first page has patient, date, dose, status and plan; the figures are in the text', async () => {
    const view = fixtureSessionView();
    const pdf = await sessionSummaryPdf(view);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, all } = await read(pdf);
    const first = pages[0] as string;
    expect(first).toContain('Riley Testperson');
    expect(first).toContain('Session 10 Aug 2026');
    expect(first).toContain('dose 09:10-09:15');
    expect(first).toContain('GIVEN: 56 mg, 2 devices');
    expect(first).toContain('Nasal route');
    expect(first).toContain('Lot: ESK-2026-0815');
    expect(first).toContain('No safety signal for this session.');
    expect(first).toContain('Continue the current dose');
    expect(first).toContain('Next dose: 56 mg');
    // vitals (table and chart labels), dissociation, side effects, scores, care team
    expect(all).toContain('124/78');
    expect(all).toContain('136/86');
    expect(all).toContain('Sedation (MOAA/S): 4 at 09:50, 5 at 11:05');
    expect(all).toContain('Dissociation');
    expect(all).toContain('Respiratory depression: not observed');
    expect(all).toContain('14/27');
    expect(all).toContain('Baseline 14 (3 Aug 2026)');
    expect(all).toContain('Supervised by: Avery Notreal');
    expect(all).toContain('page 1 of');
  });

  test('a held dose (examples/held-dose-bp.json, session h-02): HELD, the reason, the planned mg/kg, the high BP', async () => {
    const view = exampleView('held-dose-bp', 'h-02');
    expect(view.dose.status).toBe('held');
    const { pages, all } = await read(await sessionSummaryPdf(view));
    expect(pages[0]).toContain('HELD - NOT GIVEN');
    expect(pages[0]).toMatch(/Planned dose: [^:]*0\.5 mg\/kg/);
    expect(pages[0]).not.toMatch(/(?<!NOT )GIVEN:/);
    expect(all).toContain('174/106 high');
    expect(all).toContain('168/102 high');
    expect(all).toContain('84');
  });

  test('urgent signals on the first page, urgent first (examples/urgent-signals.json, session u-02)', async () => {
    const view = exampleView('urgent-signals', 'u-02');
    expect(view.signals.length).toBeGreaterThanOrEqual(3);
    const withInfo: SessionView = {
      ...view,
      signals: [{ rule: 'x', display: 'An information line', severity: 'information', detail: 'detail' }, ...view.signals],
    };
    const { pages } = await read(await sessionSummaryPdf(withInfo));
    const first = pages[0] as string;
    expect(first).toContain(`Safety signals (${withInfo.signals.length})`);
    for (const s of view.signals) {
      expect(first).toContain(`${s.severity.toUpperCase()}: ${s.display}`);
    }
    expect(first).toContain('URGENT: Pre-dose blood pressure high');
    expect(first.indexOf('URGENT:')).toBeLessThan(first.indexOf('INFORMATION: An information line'));
    expect(first).toContain('GIVEN: 60 mg');
    expect(first).toContain('Prescribed: 50 mg');
  });

  test('the same view gives the same bytes; the dates are the session\'s; no name in the metadata', async () => {
    const view = fixtureSessionView();
    const a = await sessionSummaryPdf(view);
    const b = await sessionSummaryPdf(view);
    expect(a.equals(b)).toBe(true);
    const { info } = await read(a);
    expect(info.Title).toBe('Ketamine dosing session summary 2026-08-10');
    expect(String(info.CreationDate)).toMatch(/^D:20260810/);
    expect(JSON.stringify(info)).not.toMatch(/Testperson|Fictive|Notreal|Mesa/);
  });

  test('signalsBySeverity: urgent, then attention, then information, stable', () => {
    const s = (severity: 'urgent' | 'attention' | 'information', rule: string) => ({ rule, display: rule, severity, detail: '' });
    expect(signalsBySeverity([s('information', 'i'), s('attention', 'a1'), s('urgent', 'u'), s('attention', 'a2')]).map((x) => x.rule)).toEqual([
      'u',
      'a1',
      'a2',
      'i',
    ]);
  });

  describe('im-ketamine-complications', () => {
    test('c-02: the unscored PHQ-9 row, the C-SSRS results up to the session, the side effect and the medications', async () => {
      const { all } = await read(await sessionSummaryPdf(exampleView('im-ketamine-complications', 'c-02')));
      expect(all).toContain('8 Sep 2026 09:05 not scored: item 9 unanswered');
      expect(all).toContain('Suicide risk screening (C-SSRS) Date Version Risk Note 1 Sep 2026 09:10 screener, recent None this session');
      expect(all).not.toContain('since last visit');
      expect(all).toContain('Drowsy severe SERIOUS resolved 09:32');
      expect(all).toContain('Medications at the session: Sertraline 100 mg daily (other medication)');
    });

    test('c-03: the since-last-visit screener, high and flagged; c-04: the screening finding', async () => {
      const c03 = (await read(await sessionSummaryPdf(exampleView('im-ketamine-complications', 'c-03')))).all;
      expect(c03).toContain('11 Sep 2026 09:10 screener, since last visit HIGH answers contradict each other; this session');
      const c04 = (await read(await sessionSummaryPdf(exampleView('im-ketamine-complications', 'c-04')))).all;
      expect(c04).toContain('Screening at the session: Pregnancy PRESENT');
    });
  });

  test('sublingual-lozenge-ptsd: the strength per lozenge (troche)', async () => {
    const { pages } = await read(await sessionSummaryPdf(exampleView('sublingual-lozenge-ptsd', 'lz-03')));
    expect(pages[0]).toContain('Strength: 50 mg per lozenge (troche)');
    expect(pages[0]).not.toContain('per unit');
  });
});

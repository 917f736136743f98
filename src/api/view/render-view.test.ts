/**
 * The page of one patient from SessionViews (the shared fixture: examples/esketamine-self-administered.json, session
 * e-02): what it shows, what it marks, what it escapes, and that its stylesheet is the one the CSP allows.
 */
import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { dosesByTime } from '../../summary/read-episode-view.js';
import { sessionView } from '../../summary/read-session-view.js';
import { exampleBundle, fixtureSessionView } from '../../summary/__test__/session-view-fixture.js';
import type { SessionView } from '../../summary/session-view.js';
import type { PatientRecord } from './patient-record.js';
import { esc, renderLinkRefused, renderPatientView, showDose, showTime } from './render-view.js';
import { VIEW_CSP, VIEW_CSS } from './view-style.js';

function record(views: SessionView[], signals: PatientRecord['episodes'][number]['signals'] = []): PatientRecord {
  return { clinicId: 'c1', patientId: 'pt-5230', episodes: [{ episodeId: 'ep-5230', version: 1, sessions: views, signals }] };
}

describe('renderPatientView', () => {
  test('the dose, the vitals table, the PHQ-9 table and the plan of the session', () => {
    const html = renderPatientView(record([fixtureSessionView()]));
    expect(html).toContain('<h1>Riley Testperson</h1>');
    expect(html).toContain('10 Aug 2026 — esketamine Nasal Spray 56 mg <span class="status status-given">Given</span>');
    expect(html).toContain('ESK-2026-0815');
    expect(html).toContain('(2 devices)');
    expect(html).toMatch(/<th scope="row">10 Aug 2026 09:50<\/th><td>After dose<\/td><td class="num">136\/86<\/td>/);
    expect(html).toContain('<td class="num">14 / 27</td><td>Moderate</td><td>Baseline</td>');
    expect(html).toContain('Continue the current dose · next dose 56 mg');
    expect(html).toContain('No safety signal for this session.');
    expect(html).not.toContain('<script');
    // No document link without a PDF renderer; no link notice for the clinic.
    expect(html).not.toContain('class="document"');
    expect(html).not.toContain('This link expires');
    // The page title names no one (browser history).
    expect(html).toContain('<title>KAP sessions — prescriber view</title>');
  });

  test('a held dose, a BP above the threshold, signals with their state, charts and document links', () => {
    const v = fixtureSessionView();
    const held: SessionView = {
      ...v,
      dose: { ...v.dose, status: 'held', statusReason: 'Blood pressure high' },
      vitals: [{ id: 'bp', kind: 'blood-pressure', time: '2026-08-10T09:00:00-07:00', phase: 'pre-dose', systolic: 174, diastolic: 106 }],
      signals: [{ rule: 'bp-predose-high', display: 'Pre-dose blood pressure high', severity: 'urgent', detail: 'Above the threshold.' }],
    };
    const html = renderPatientView(
      record([held], [{ ...held.signals[0]!, status: 'final', notified: true, sessionId: 'e-02', identified: '2026-08-10T09:00:00-07:00' }]),
      {
        charts: { vitals: () => ({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', alt: 'BP 174/106 before the dose' }), scores: () => undefined },
        documentHref: (e, s) => `/docs/${e}/${s}.pdf`,
        linkExpiresAt: '2026-08-17T18:00:00.000Z',
      }
    );
    expect(html).toContain('<span class="status status-held">Held</span> <span class="muted">Blood pressure high</span>');
    expect(html).toContain('<mark title="threshold 160/100">174/106</mark>');
    expect(html).toContain('<strong>Pre-dose blood pressure high</strong> <span class="state">Raised · prescriber notified</span>');
    expect(html).toContain('<a href="#session-ep-5230--e-02">session of 10 Aug 2026</a>');
    const svg64 = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
    expect(html).toContain(`<img src="data:image/svg+xml;base64,${svg64}" alt="BP 174/106 before the dose">`);
    expect(html).toContain('<a class="document" href="/docs/ep-5230/e-02.pdf">');
    expect(html).toContain('This link expires 2026-08-17 18:00 UTC.');
  });

  test('the REMS record PDF beside the summary of an esketamine dose given (not of a held or racemic one); the episode summary link', () => {
    const v = fixtureSessionView();
    const held: SessionView = { ...v, sessionId: 'e-03', dose: { ...v.dose, status: 'held', start: '2026-08-13T09:10:00-07:00' } };
    const racemic: SessionView = { ...v, sessionId: 'e-04', dose: { ...v.dose, esketamine: false, product: 'ketamine', start: '2026-08-16T09:10:00-07:00' } };
    const html = renderPatientView(record([v, held, racemic]), {
      documentHref: (e, s) => `/docs/${e}/${s}.pdf`,
      remsHref: (e, s) => `/docs/${e}/${s}/rems.pdf`,
      episodeHref: (e) => `/docs/${e}/summary.pdf`,
    });
    expect(html.match(/class="rems-document"/g)).toHaveLength(2); // the timeline and the session of e-02
    expect(html).toContain('<a class="document" href="/docs/ep-5230/e-02.pdf">Session summary (PDF)</a> · <a class="rems-document" href="/docs/ep-5230/e-02/rems.pdf">REMS monitoring record (PDF)</a>');
    expect(html).toContain('<td><a href="/docs/ep-5230/e-02.pdf">PDF</a> · <a class="rems-document" href="/docs/ep-5230/e-02/rems.pdf">REMS</a></td>');
    expect(html).not.toContain('e-03/rems.pdf');
    expect(html).not.toContain('e-04/rems.pdf');
    expect(html.match(/<a class="episode-document" href="\/docs\/ep-5230\/summary\.pdf">/g)).toHaveLength(1);
    // without the renderers: no such links
    const plain = renderPatientView(record([v]), { documentHref: (e, s) => `/docs/${e}/${s}.pdf` });
    expect(plain).not.toContain('rems-document');
    expect(plain).not.toContain('episode-document');
  });

  test('every text is escaped', () => {
    const v = fixtureSessionView();
    const html = renderPatientView(record([{ ...v, patient: { name: '<script>alert(1)</script>' }, plan: { ...v.plan!, note: '"><img src=x onerror=alert(1)>' } }]));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(esc(`a&b<c>"d'`)).toBe('a&#38;b&#60;c&#62;&#34;d&#39;');
  });

  test('times as recorded, doses in mg and mg/kg', () => {
    expect(showTime('2026-08-10T09:10:00-07:00')).toBe('10 Aug 2026 09:10');
    expect(showTime('2026-08-10T09:10:00-07:00', true)).toBe('10 Aug 2026');
    expect(showTime('1986-11-02')).toBe('2 Nov 1986');
    const d = fixtureSessionView().dose;
    expect(showDose({ ...d, mg: 35.6, mgPerKg: 0.5 })).toBe('35.6 mg (0.5 mg/kg)');
    expect(showDose({ ...d, mg: undefined, mgPerKg: undefined })).toBe('—');
  });
});

describe('renderPatientView: im-ketamine-complications (the views read from the mapped Bundle)', () => {
  const bundle = exampleBundle('im-ketamine-complications');
  const views = dosesByTime(bundle).map((url) => sessionView(bundle, url));
  const html = renderPatientView({ clinicId: 'c1', patientId: 'pt-7350', episodes: [{ episodeId: 'ep-7350', version: 1, sessions: views, signals: [] }] });
  const sessionHtml = (id: string): string => {
    const at = html.indexOf(`<section class="session" id="session-ep-7350--${id}"`);
    return at < 0 ? '' : (html.slice(at).split('</section>')[0] ?? '');
  };

  test('the PHQ-9 that could not be scored is a row of its table with its date', () => {
    expect(html).toContain('<tr class="unscored"><th scope="row">8 Sep 2026 09:05</th><td colspan="3"><mark>not scored: item 9 unanswered</mark></td></tr>');
  });

  test('every C-SSRS result: date, version, risk level, answers contradicting each other', () => {
    expect(html).toContain('<h2>Suicide risk screening (C-SSRS)</h2>');
    expect(html).toContain('<tr data-risk="none"><th scope="row">1 Sep 2026 09:10</th><td>screener, recent</td><td>None</td><td></td></tr>');
    expect(html).toContain(
      '<tr data-risk="high"><th scope="row">11 Sep 2026 09:10</th><td>screener, since last visit</td><td><mark>High</mark></td><td><mark>answers contradict each other</mark></td></tr>'
    );
  });

  test("each session's medication review and screening", () => {
    expect(sessionHtml('c-02')).toContain(
      '<dt>Medications</dt><dd>Sertraline 100 mg daily <span class="muted">(other medication)</span> <span class="muted">(reviewed 8 Sep 2026 09:03)</span></dd><dt>Screening</dt><dd><span class="muted">not recorded</span></dd>'
    );
    expect(sessionHtml('c-04')).toContain('<dt>Screening</dt><dd><mark>Pregnancy: present</mark> <span class="muted">(screened 15 Sep 2026 09:05)</span></dd>');
  });

  test('a side effect reads clearly', () => {
    expect(sessionHtml('c-02')).toContain('<li>Drowsy — severe, <mark>serious</mark>, resolved <span class="muted">(onset 8 Sep 2026 09:32)</span></li>');
  });

  test('none known, no medication, and the lozenge strength', () => {
    const v = fixtureSessionView();
    const page = renderPatientView(
      record([
        {
          ...v,
          dose: { ...v.dose, strength: '50 mg per lozenge (troche)' },
          medications: { reviewedAt: '2026-08-10T08:55:00-07:00', none: true, items: [] },
          screening: { screenedAt: '2026-08-10T08:56:00-07:00', noneKnown: true, findings: [] },
        },
      ])
    );
    expect(page).toContain('<dt>Strength</dt><dd>50 mg per lozenge (troche)</dd>');
    expect(page).toContain('<dt>Medications</dt><dd>none <span class="muted">(reviewed 10 Aug 2026 08:55)</span></dd>');
    expect(page).toContain('<dt>Screening</dt><dd>none known <span class="muted">(screened 10 Aug 2026 08:56)</span></dd>');
  });
});

describe('the refusal page and the CSP', () => {
  test('the refusal page gives no reason', () => {
    const html = renderLinkRefused();
    expect(html).toContain('This link is not available');
    expect(html).not.toMatch(/expired|revoked|unknown/i);
  });

  test('the CSP allows exactly the stylesheet (by hash) and data: images; no script', () => {
    const hash = createHash('sha256').update(VIEW_CSS, 'utf8').digest('base64');
    expect(VIEW_CSP).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    expect(renderPatientView(record([fixtureSessionView()]))).toContain(`<style>${VIEW_CSS}</style>`);
  });
});

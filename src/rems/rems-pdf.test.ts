import { describe, expect, test } from '@jest/globals';
import { extractText } from 'unpdf';
import { doseFullUrl, exampleBundle } from './__test__/rems-fixture.js';
import { formatDateTime, remsMonitoringPdf } from './rems-pdf.js';
import { remsMonitoringQuestionnaire } from './rems-questionnaire.js';
import { remsMonitoringResponse } from './rems-response.js';

/** The PDF's text (all pages), whitespace collapsed. */
async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const { totalPages, text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return { pages: totalPages, text: text.replace(/\s+/g, ' ') };
}

describe('remsMonitoringPdf', () => {
  test('the complete record of esketamine-self-administered: every figure of the session, no "not recorded" for a required field', async () => {
    const bundle = exampleBundle('esketamine-self-administered');
    const { response } = remsMonitoringResponse(bundle, doseFullUrl(bundle, 'e-02'));
    const pdf = await remsMonitoringPdf(response, remsMonitoringQuestionnaire());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBe(1); // one US Letter page for a session with one or two adverse events
    for (const expected of [
      'Spravato REMS patient monitoring record',
      'Record complete',
      'Mesa Behavioral Health',
      'Dose given (mg) 56',
      'Lot number ESK-2026-0815',
      'Benzodiazepine No',
      'Monoamine oxidase inhibitor (MAOI) No',
      'Blood pressure about 40 minutes after the dose',
      'Systolic (mmHg) 136',
      'Diastolic (mmHg) 86',
      '2026-08-10 09:50 (UTC-07:00)',
      'Sedation observed Yes',
      'Lowest MOAA/S score after the dose 4',
      'Respiratory depression observed No',
      'Total monitoring time, dose start to discharge (minutes) 130',
      'Time the patient was ready to leave 2026-08-10 11:10 (UTC-07:00)',
      'Dissociation (mild)',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('(required)');
    expect(text).toContain('CADSS-6 total score not recorded'); // optional, not taken
  });

  test('the ~40-minute BP removed: "not recorded (required)" in its rows and named in the status line', async () => {
    const bundle = exampleBundle('esketamine-self-administered', (ep) => {
      const s = ep.sessions.find((x: { id: string }) => x.id === 'e-02');
      s.vitals = s.vitals.filter((v: { id: string }) => v.id !== 'e-02-bp-40');
    });
    const { response } = remsMonitoringResponse(bundle, doseFullUrl(bundle, 'e-02'));
    const { text } = await pdfText(await remsMonitoringPdf(response, remsMonitoringQuestionnaire()));
    expect(text).toContain('Record incomplete: 1 required field not recorded (bp-post-40).');
    expect(text).toMatch(/Blood pressure about 40 minutes after the dose Systolic \(mmHg\) not recorded \(required\)/);
    expect(text).not.toContain('136');
  });

  test('dateTimes keep the clinic\'s offset', () => {
    expect(formatDateTime('2026-08-10T09:50:00-07:00')).toBe('2026-08-10 09:50 (UTC-07:00)');
    expect(formatDateTime('2026-08-10T16:50:00Z')).toBe('2026-08-10 16:50 (UTC)');
    expect(formatDateTime('2026-08-10')).toBe('2026-08-10');
  });
});

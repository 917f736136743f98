import { describe, expect, test } from '@jest/globals';
import { fixtureSessionView } from '../__test__/session-view-fixture.js';
import type { SessionView } from '../session-view.js';
import { spreadLabels, vitalsChart, vitalsTable } from './vitals-chart.js';

/** The fixture with an IV-like dose over 40 min, a heart rate and a BP above the clinic's threshold during it. */
function busyView(): SessionView {
  const v = fixtureSessionView();
  return {
    ...v,
    dose: { ...v.dose, end: '2026-08-10T09:50:00-07:00' },
    vitals: [
      ...v.vitals,
      { id: 'hr-pre', kind: 'heart-rate', time: '2026-08-10T09:00:00-07:00', phase: 'pre-dose', value: 72 },
      { id: 'bp-during', kind: 'blood-pressure', time: '2026-08-10T09:20:00-07:00', phase: 'during-dose', systolic: 185, diastolic: 101 },
      { id: 'sp-during', kind: 'oxygen-saturation', time: '2026-08-10T09:20:00-07:00', phase: 'during-dose', value: 90 },
    ],
  };
}

describe('vitalsChart', () => {
  test('an SVG with the series present, the dose marked, the phases and the clinic thresholds drawn', () => {
    const { svg } = vitalsChart(busyView());
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).toContain('role="img"');
    for (const text of ['Systolic BP', 'Diastolic BP', 'Heart rate', 'Resp. rate', 'SpO2 %', 'dose 09:10', 'end 09:50', 'pre-dose', 'during', 'post-dose']) {
      expect(svg).toContain(`>${text}<`);
    }
    // the default thresholds (src/safety/config.ts) as labelled dashed lines
    for (const text of ['SBP 160', 'SBP severe 180', 'DBP 100', 'DBP severe 120', 'SpO2 92', 'HR 50', 'HR 120', 'RR 10', 'RR 24']) {
      expect(svg).toContain(`>${text}<`);
    }
    expect(svg).toContain('stroke-dasharray');
    // the BP values are labelled on the points
    expect(svg).toContain('>185<');
    expect(svg).toContain('>124<');
  });

  test('a short dose: one label "dose 09:10-09:15" and no "during" name (the lines are too close for two)', () => {
    const { svg } = vitalsChart(fixtureSessionView());
    expect(svg).toContain('>dose 09:10-09:15<');
    expect(svg).not.toContain('>end 09:15<');
    expect(svg).not.toContain('>during<');
    expect(svg).toContain('>pre-dose<');
  });

  test('the thresholds are named right of the plot (past the SpO2 axis), never over the readings\' labels', () => {
    const { svg } = vitalsChart(busyView());
    // the plot ends at x = 540 - 112 = 428; every threshold name starts beyond it
    for (const name of ['SBP 160', 'SBP severe 180', 'DBP 100', 'DBP severe 120', 'SpO2 92', 'HR 50', 'HR 120', 'RR 10', 'RR 24']) {
      const at = new RegExp(`<text[^>]*transform="translate\\(([\\d.]+) ([\\d.]+)\\)"[^>]*>${name}<`).exec(svg) ?? new RegExp(`<text[^>]*x="([\\d.]+)"[^>]*>${name}<`).exec(svg);
      expect([name, Number(at?.[1]) > 428]).toEqual([name, true]);
    }
  });

  test('spreadLabels: labels closer than the spacing are moved down as little as needed, in height order', () => {
    expect(spreadLabels([100, 100, 50, 105], 11)).toEqual([0, 11, 0, 17]);
    expect(spreadLabels([10, 40], 11)).toEqual([0, 0]);
    expect(spreadLabels([], 11)).toEqual([]);
  });

  test('draws the thresholds of the series it has only, and the clinic thresholds it is given', () => {
    const v = fixtureSessionView();
    const { svg } = vitalsChart({ ...v, thresholds: { ...v.thresholds, systolic: 150, diastolic: 95 } });
    expect(svg).toContain('>SBP 150<');
    expect(svg).toContain('>DBP 95<');
    expect(svg).not.toContain('>SBP 160<');
    // no heart rate recorded in the fixture: no HR series, no HR threshold
    expect(svg).not.toContain('>Heart rate<');
    expect(svg).not.toContain('>HR 50<');
  });

  test('the same view gives the same SVG; two charts never share an element id with another kind of chart', () => {
    const a = vitalsChart(busyView());
    const b = vitalsChart(busyView());
    expect(a.svg).toBe(b.svg);
    expect(a.svg).not.toMatch(/\bzr\d+-/);
    expect(a.svg).toMatch(/id="kap-vitals-/);
  });

  test('no name of the patient, clinic or care team in the SVG or the text alternative', () => {
    const v = busyView();
    const chart = vitalsChart(v);
    for (const name of [v.patient.name, v.clinic.name, v.careTeam.administeredBy as string, 'Testperson', 'Fictive']) {
      expect(chart.svg).not.toContain(name);
      expect(chart.alt).not.toContain(name);
    }
  });

  test('the text alternative states the figures and how many readings crossed the thresholds', () => {
    const { alt } = vitalsChart(busyView());
    expect(alt).toContain('124/78 before the dose');
    expect(alt).toContain('highest 185/101 at +10 min');
    expect(alt).toContain('heart rate 72/min');
    expect(alt).toContain('SpO2 90 to 98 %');
    expect(alt).toContain("2 readings outside the clinic's thresholds");
    expect(vitalsChart(fixtureSessionView()).alt).toContain("No reading outside the clinic's thresholds");
  });

  test('the table: one row per time, minutes from the dose, phase, readings flagged against the thresholds', () => {
    const table = vitalsTable(busyView());
    expect(table.head).toEqual(['Time', 'Min', 'Phase', 'BP mmHg', 'HR /min', 'RR /min', 'SpO2 %', 'MOAA/S']);
    expect(table.rows).toEqual([
      ['09:00', '-10', 'pre', '124/78', '72', '-', '98', '-'],
      ['09:20', '+10', 'during', '185/101 severe', '-', '-', '90 low', '-'],
      ['09:50', '+40', 'post', '136/86', '-', '14', '97', '4'],
      ['11:05', '+115', 'post', '126/80', '-', '-', '98', '5'],
    ]);
    expect(vitalsChart(busyView()).table).toEqual(table);
  });

  test('no vitals: a chart that says so, an empty table', () => {
    const chart = vitalsChart({ ...fixtureSessionView(), vitals: [] });
    expect(chart.svg).toContain('No vital signs recorded');
    expect(chart.alt).toBe('Vital signs around the dose: none recorded.');
    expect(chart.table.rows).toEqual([]);
  });

  test('a held dose is marked as held', () => {
    const v = fixtureSessionView();
    const chart = vitalsChart({ ...v, dose: { ...v.dose, status: 'held', end: undefined } });
    expect(chart.svg).toContain('>held 09:10<');
    expect(chart.alt).toContain('around the held dose');
  });
});

import { describe, expect, test } from '@jest/globals';
import { fixtureSessionView } from '../__test__/session-view-fixture.js';
import type { ScoreTrajectory } from '../session-view.js';
import { scoreTable, scoreTrajectoryChart } from './score-trajectory-chart.js';

/** The fixture's PHQ-9 with two more scores: this session's and a later one in remission. */
function trajectory(): ScoreTrajectory {
  const t = fixtureSessionView().scores[0] as ScoreTrajectory;
  return {
    ...t,
    points: [
      { id: 'q3', time: '2026-08-24T08:40:00-07:00', total: 4, band: 'Minimal', baseline: false, percentChange: 71.4, response: true, remission: true, thisSession: false },
      { ...(t.points[0] as ScoreTrajectory['points'][number]), thisSession: false },
      { id: 'q2', time: '2026-08-10T08:40:00-07:00', total: 9, band: 'Mild', baseline: false, percentChange: 35.7, response: false, remission: false, thisSession: true },
    ],
  };
}

describe('scoreTrajectoryChart', () => {
  test('the totals, the bands shaded and named, the baseline marked, this session emphasised', () => {
    const { svg } = scoreTrajectoryChart(trajectory());
    for (const text of ['14', '9', '4', 'baseline 14', 'Minimal', 'Mild', 'Moderate', 'Moderately severe', 'Severe', 'PHQ-9 total']) {
      expect(svg).toContain(`>${text}<`);
    }
    // this session's point: bold label and a ringed symbol
    expect(svg).toMatch(/font-weight:bold[^>]*>9</);
    expect(svg).toContain('stroke="#f2b01e"');
    // dates from the written date (no time zone): 3 Aug is the first day
    expect(svg).toContain('>3 Aug<');
  });

  test('deterministic, ids prefixed per instrument', () => {
    const a = scoreTrajectoryChart(trajectory());
    expect(scoreTrajectoryChart(trajectory()).svg).toBe(a.svg);
    expect(a.svg).toMatch(/id="kap-score-phq9-/);
    expect(a.svg).not.toMatch(/\bzr\d+-/);
  });

  test('the text alternative and the table state baseline, change and remission, in time order', () => {
    const chart = scoreTrajectoryChart(trajectory());
    expect(chart.alt).toBe(
      'PHQ-9 totals over the episode, 3 scores: 14, 9, 4 (of 27); baseline 14 (moderate) on 3 Aug 2026; ' +
        'latest 4 (minimal) on 24 Aug 2026, -71 % from baseline, remission; 1 from this session.'
    );
    expect(scoreTable(trajectory())).toEqual({
      head: ['Date', 'PHQ-9 total', 'Band', 'From baseline', 'Response', 'This session'],
      rows: [
        ['3 Aug 2026 08:40', '14/27', 'Moderate', 'baseline', '-', ''],
        ['10 Aug 2026 08:40', '9/27', 'Mild', '-36 %', 'no response', 'yes'],
        ['24 Aug 2026 08:40', '4/27', 'Minimal', '-71 %', 'remission', ''],
      ],
    });
  });

  test('an instrument without bands (PCL-5) and one without scores', () => {
    const pcl: ScoreTrajectory = {
      instrument: 'pcl5',
      title: 'PCL-5',
      max: 80,
      bands: [],
      points: [{ id: 'p1', time: '2026-08-03T08:40:00-07:00', total: 53, baseline: true, thisSession: true }],
      unscored: [],
    };
    const chart = scoreTrajectoryChart(pcl);
    expect(chart.svg).toContain('>53<');
    expect(chart.svg).toMatch(/id="kap-score-pcl5-/);
    expect(chart.table.rows).toEqual([['3 Aug 2026 08:40', '53/80', '-', 'baseline', '-', 'yes']]);
    const empty = scoreTrajectoryChart({ ...pcl, points: [] });
    expect(empty.svg).toContain('No score recorded');
    expect(empty.alt).toBe('PCL-5: no score recorded.');
  });

  test('a response that could not be scored: a table row at its date, no chart point', () => {
    const t = trajectory();
    const withUnscored: ScoreTrajectory = {
      ...t,
      unscored: [{ id: 'q9', time: '2026-08-17T08:40:00-07:00', status: 'stopped', missing: ['item 9'], thisSession: false }],
    };
    expect(scoreTable(withUnscored).rows.map((r) => r.slice(0, 3))).toEqual([
      ['3 Aug 2026 08:40', '14/27', 'Moderate'],
      ['10 Aug 2026 08:40', '9/27', 'Mild'],
      ['17 Aug 2026 08:40', 'not scored:', 'item 9 unanswered'],
      ['24 Aug 2026 08:40', '4/27', 'Minimal'],
    ]);
    const chart = scoreTrajectoryChart(withUnscored);
    expect(chart.alt).toContain('1 response not scored');
    // the same points are drawn: the SVG differs from the trajectory's only by its text alternative
    expect(chart.svg.replace(chart.alt, '')).toBe(scoreTrajectoryChart(t).svg.replace(scoreTrajectoryChart(t).alt, ''));
  });
});

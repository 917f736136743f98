/**
 * The score trajectory of one instrument over the episode (issue 14): the totals against the date, the severity
 * bands shaded, the baseline marked (its point and a dashed line at its total), and this session's points drawn
 * larger and dark. The table beneath it states the change from baseline and response / remission per score.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { ScorePoint, ScoreTrajectory } from '../session-view.js';
import { renderCache } from '../render-cache.js';
import { unansweredText } from '../unscored-text.js';
import { renderSvg, type ChartTable, type SummaryChart } from './chart.js';
import { clockTime, dayNumber, shortDate } from './chart-time.js';

/** Size of a score trajectory chart (px). */
export const SCORE_CHART_SIZE = { width: 540, height: 260 } as const;

/** The trajectory charts drawn lately, by their trajectory (src/summary/render-cache.ts). */
const CHARTS = renderCache<SummaryChart>(256);

/** Band shades, lightest (least severe) first; the bands take them in order. */
const BAND_SHADES = ['rgba(60,150,80,0.10)', 'rgba(150,180,60,0.12)', 'rgba(230,180,40,0.14)', 'rgba(230,120,40,0.15)', 'rgba(200,50,40,0.15)'];

function sorted(points: readonly ScorePoint[]): ScorePoint[] {
  return [...points].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id));
}

/** Change from baseline as written in the table, e.g. `-43 %` for a 43 % improvement. */
function change(p: ScorePoint): string {
  if (p.baseline) {
    return 'baseline';
  }
  if (p.percentChange === undefined) {
    return '-';
  }
  // percentChange is positive for an improvement, i.e. a lower total
  const drop = Math.round(p.percentChange);
  return drop === 0 ? '0 %' : `${drop > 0 ? '-' : '+'}${Math.abs(drop)} %`;
}

/** Response / remission as written in the table. */
function outcome(p: ScorePoint): string {
  return p.remission ? 'remission' : p.response ? 'response' : p.baseline ? '' : p.percentChange !== undefined ? 'no response' : '';
}

/** "10 Aug 2026 08:40" of a written dateTime. */
function rowTime(time: string): string {
  return `${shortDate(dayNumber(time))}${clockTime(time) ? ` ${clockTime(time)}` : ''}`;
}

/**
 * The trajectory as a table: date, total, band, change from baseline, response/remission, this session; a response
 * that could not be scored is a row of its own at its date ("not scored:" in the total column, "item 9 unanswered" in
 * the band column), with no chart point.
 * @param trajectory - one instrument's trajectory
 */
export function scoreTable(trajectory: ScoreTrajectory): ChartTable {
  const scored = sorted(trajectory.points).map((p) => ({
    time: p.time,
    row: [rowTime(p.time), `${p.total}/${trajectory.max}`, p.band ?? '-', change(p), outcome(p) || '-', p.thisSession ? 'yes' : ''],
  }));
  const unscored = (trajectory.unscored ?? []).map((u) => ({
    time: u.time,
    row: [rowTime(u.time), unansweredText(u) ? 'not scored:' : 'not scored', unansweredText(u) || '-', '-', '-', u.thisSession ? 'yes' : ''],
  }));
  return {
    head: ['Date', `${trajectory.title} total`, 'Band', 'From baseline', 'Response', 'This session'],
    rows: [...scored, ...unscored].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).map((r) => r.row),
  };
}

/** A short text alternative of the trajectory (figures only). */
function scoreAlt(trajectory: ScoreTrajectory): string {
  const points = sorted(trajectory.points);
  const name = trajectory.title;
  if (points.length === 0) {
    const n = (trajectory.unscored ?? []).length;
    return `${name}: no score recorded${n > 0 ? `; ${n} response${n > 1 ? 's' : ''} not scored` : ''}.`;
  }
  const baseline = points.find((p) => p.baseline);
  const last = points.at(-1) as ScorePoint;
  const parts = [
    `${name} totals over the episode, ${points.length} score${points.length > 1 ? 's' : ''}: ${points.map((p) => p.total).join(', ')} (of ${trajectory.max})`,
  ];
  if (baseline) {
    parts.push(`baseline ${baseline.total}${baseline.band ? ` (${baseline.band.toLowerCase()})` : ''} on ${shortDate(dayNumber(baseline.time))}`);
  }
  if (last !== baseline) {
    parts.push(
      `latest ${last.total}${last.band ? ` (${last.band.toLowerCase()})` : ''} on ${shortDate(dayNumber(last.time))}` +
        (last.percentChange !== undefined ? `, ${change(last)} from baseline` : '') +
        (outcome(last) ? `, ${outcome(last)}` : '')
    );
  }
  const own = points.filter((p) => p.thisSession).length;
  if (own > 0) {
    parts.push(`${own} from this session`);
  }
  const unscored = trajectory.unscored ?? [];
  if (unscored.length > 0) {
    parts.push(`${unscored.length} response${unscored.length > 1 ? 's' : ''} not scored`);
  }
  return `${parts.join('; ')}.`;
}

/**
 * The trajectory chart of one instrument (drawn again only when the trajectory changed: the same trajectory gives
 * the same SVG).
 * @param trajectory - the instrument's scores over the episode
 * @returns the SVG, its text alternative and the table beneath it (shared: read only)
 */
export function scoreTrajectoryChart(trajectory: ScoreTrajectory): SummaryChart {
  return CHARTS.get(trajectory, drawScoreTrajectoryChart);
}

/** Draws the trajectory chart (echarts). */
function drawScoreTrajectoryChart(trajectory: ScoreTrajectory): SummaryChart {
  const points = sorted(trajectory.points);
  const alt = scoreAlt(trajectory);
  const table = scoreTable(trajectory);
  const first = points.length ? dayNumber(points[0]!.time) : 0;
  // x: days since the first score (fraction of a day from the instant, so two scores on one day stay apart)
  const x = (p: ScorePoint): number => dayNumber(p.time) - first + fractionOfDay(p.time);
  const span = points.length ? Math.max(7, Math.ceil(x(points.at(-1)!))) : 7;
  const baseline = points.find((p) => p.baseline);

  const bands = trajectory.bands.map(([from, to, display], i, all) => [
    { yAxis: i === 0 ? 0 : from - 0.5, name: display, itemStyle: { color: BAND_SHADES[Math.min(i, BAND_SHADES.length - 1)] } },
    { yAxis: i === all.length - 1 ? trajectory.max : to + 0.5 },
  ]);

  const series: LineSeriesOption = {
    type: 'line',
    name: trajectory.title,
    color: '#1f4e79',
    lineStyle: { width: 2 },
    data: points.map((p) => ({
      value: [x(p), p.total],
      symbol: p.baseline ? 'diamond' : 'circle',
      symbolSize: p.thisSession ? 14 : p.baseline ? 11 : 8,
      itemStyle: p.thisSession ? { color: '#0b1f33', borderColor: '#f2b01e', borderWidth: 3 } : { color: '#1f4e79' },
      label: {
        show: true,
        position: 'top',
        fontSize: p.thisSession ? 12 : 10,
        fontWeight: p.thisSession ? 'bold' : 'normal',
        color: '#0b1f33',
        formatter: String(p.total),
      },
    })),
    markArea: {
      silent: true,
      label: { position: 'insideRight', fontSize: 9, color: '#555' },
      data: bands as NonNullable<LineSeriesOption['markArea']>['data'],
    },
    ...(baseline
      ? {
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { type: 'dashed', color: '#1f4e79', width: 1 },
            label: { position: 'insideMiddleTop', fontSize: 10, color: '#1f4e79', formatter: `baseline ${baseline.total}` },
            data: [{ yAxis: baseline.total }],
          },
        }
      : {}),
  };

  const option: EChartsOption = {
    backgroundColor: '#ffffff',
    grid: { left: 48, right: 24, top: 24, bottom: 36 },
    xAxis: {
      type: 'value',
      min: 0,
      max: span,
      axisLabel: { formatter: (d: number) => shortDate(first + Math.round(d), false), hideOverlap: true, showMaxLabel: false },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: trajectory.max,
      interval: trajectory.max > 40 ? 10 : 5,
      axisLabel: { showMaxLabel: trajectory.max % (trajectory.max > 40 ? 10 : 5) === 0 },
      name: `${trajectory.title} total`, nameLocation: 'middle', nameGap: 30, nameTextStyle: { fontSize: 10 } },
    series: [series],
    ...(points.length === 0
      ? { graphic: { type: 'text', left: 'center', top: 'middle', style: { text: 'No score recorded', fontSize: 14, fill: '#555' } } }
      : {}),
  };
  return { svg: renderSvg(option, { ...SCORE_CHART_SIZE, idPrefix: `kap-score-${trajectory.instrument}`, alt }), alt, table };
}

/** The written clock time as a fraction of the day (0 for a date alone). */
function fractionOfDay(time: string): number {
  const clock = clockTime(time);
  if (!clock) {
    return 0;
  }
  const [h, m] = clock.split(':').map(Number);
  return ((h as number) * 60 + (m as number)) / 1440;
}


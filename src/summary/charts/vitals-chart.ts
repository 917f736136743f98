/**
 * The chart of the vitals around the dose (issue 14): blood pressure (systolic and diastolic), heart rate,
 * respiratory rate and SpO2 against the minutes from the dose start; the dose start and end marked (one label
 * "dose 09:10-09:15" when the two lines are too close for two), the pre / during / post phases shaded, and the
 * clinic's thresholds drawn as dashed lines, named in a column right of the chart (beyond the SpO2 axis, spread
 * apart when close), so that no threshold label lies over a reading's label. MOAA/S (another scale) is in the table
 * only. Each series has its own colour and symbol, so the chart still reads in grey on paper.
 */
import type { EChartsOption, LineSeriesOption, MarkLineComponentOption } from 'echarts';
import type { SessionView, VitalPoint, VitalThresholds } from '../session-view.js';
import { renderCache } from '../render-cache.js';
import { renderSvg, type ChartTable, type SummaryChart } from './chart.js';
import { clockTime, minutesBetween, signedMinutes } from './chart-time.js';
import { vitalFlag } from './vital-flags.js';

/** Size of the vitals chart (px; 1 px = 0.75 pt in the PDF). */
export const VITALS_CHART_SIZE = { width: 540, height: 340 } as const;

/** What the vitals chart reads of a session: the dose's times and status, the readings, the clinic's thresholds. */
export interface VitalsInput {
  dose: Pick<SessionView['dose'], 'start' | 'end' | 'status'>;
  vitals: readonly VitalPoint[];
  thresholds: VitalThresholds;
}

/** The vitals charts drawn lately, by their input (src/summary/render-cache.ts). */
const CHARTS = renderCache<SummaryChart>(256);

type Kind = VitalPoint['kind'];
type Drawn = Exclude<Kind, 'sedation'>;

interface SeriesSpec {
  name: string;
  color: string;
  symbol: string;
  axis: 0 | 1;
  values: (p: VitalPoint) => number | undefined;
  kind: Drawn;
  labelPosition?: 'top' | 'bottom';
  dashed?: boolean;
  thresholds: (t: VitalThresholds) => [number, string][];
}

const SERIES: readonly SeriesSpec[] = [
  {
    name: 'Systolic BP',
    kind: 'blood-pressure',
    color: '#b3261e',
    symbol: 'triangle',
    axis: 0,
    values: (p) => p.systolic,
    labelPosition: 'top',
    thresholds: (t) => [
      [t.systolic, `SBP ${t.systolic}`],
      [t.severeSystolic, `SBP severe ${t.severeSystolic}`],
    ],
  },
  {
    name: 'Diastolic BP',
    kind: 'blood-pressure',
    color: '#e07b39',
    symbol: 'diamond',
    axis: 0,
    values: (p) => p.diastolic,
    labelPosition: 'bottom',
    thresholds: (t) => [
      [t.diastolic, `DBP ${t.diastolic}`],
      [t.severeDiastolic, `DBP severe ${t.severeDiastolic}`],
    ],
  },
  {
    name: 'Heart rate',
    kind: 'heart-rate',
    color: '#1f5fa8',
    symbol: 'circle',
    axis: 0,
    values: (p) => p.value,
    thresholds: (t) => [
      [t.heartRate[0], `HR ${t.heartRate[0]}`],
      [t.heartRate[1], `HR ${t.heartRate[1]}`],
    ],
  },
  {
    name: 'Resp. rate',
    kind: 'respiratory-rate',
    color: '#5b7f1e',
    symbol: 'rect',
    axis: 0,
    values: (p) => p.value,
    thresholds: (t) => [
      [t.respiratoryRate[0], `RR ${t.respiratoryRate[0]}`],
      [t.respiratoryRate[1], `RR ${t.respiratoryRate[1]}`],
    ],
  },
  {
    name: 'SpO2 %',
    kind: 'oxygen-saturation',
    color: '#6a3d9a',
    symbol: 'roundRect',
    axis: 1,
    values: (p) => p.value,
    labelPosition: 'top',
    dashed: true,
    thresholds: (t) => [[t.spo2Below, `SpO2 ${t.spo2Below}`]],
  },
];

const PHASE_LABEL: Record<NonNullable<VitalPoint['phase']>, string> = {
  'pre-dose': 'pre',
  'during-dose': 'during',
  'post-dose': 'post',
};

/** Sorts readings by instant, then kind (stable for equal times). */
function byTime(points: readonly VitalPoint[]): VitalPoint[] {
  return [...points].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

/** The phase of a reading: as recorded, else from its time against the dose. */
function phaseOf(p: VitalPoint, minute: number, doseEnd: number): NonNullable<VitalPoint['phase']> {
  return p.phase ?? (minute < 0 ? 'pre-dose' : minute <= doseEnd ? 'during-dose' : 'post-dose');
}

/** One reading as a table cell, with its flag against the thresholds. */
function cell(p: VitalPoint, t: VitalThresholds): string {
  const text = p.kind === 'blood-pressure' ? `${p.systolic ?? '?'}/${p.diastolic ?? '?'}` : String(p.value ?? '?');
  const flag = vitalFlag(p, t);
  return flag ? `${text} ${flag}` : text;
}

const COLUMNS: readonly [Kind, string][] = [
  ['blood-pressure', 'BP mmHg'],
  ['heart-rate', 'HR /min'],
  ['respiratory-rate', 'RR /min'],
  ['oxygen-saturation', 'SpO2 %'],
  ['sedation', 'MOAA/S'],
];

/**
 * The vitals as a table: one row per time (clinic's clock time, minutes from the dose start, phase), one column per
 * kind; a reading outside the clinic's thresholds carries `high`, `severe` or `low`.
 * @param view - the session
 */
export function vitalsTable(view: VitalsInput): ChartTable {
  const doseEnd = view.dose.end ? minutesBetween(view.dose.start, view.dose.end) : 0;
  const rows = new Map<string, { time: string; minute: number; phase: string; cells: Map<Kind, string[]> }>();
  for (const p of byTime(view.vitals)) {
    const minute = minutesBetween(view.dose.start, p.time);
    const phase = PHASE_LABEL[phaseOf(p, minute, doseEnd)];
    const key = `${Date.parse(p.time)}|${phase}`;
    const row = rows.get(key) ?? { time: clockTime(p.time), minute, phase, cells: new Map<Kind, string[]>() };
    rows.set(key, row);
    row.cells.set(p.kind, [...(row.cells.get(p.kind) ?? []), cell(p, view.thresholds)]);
  }
  return {
    head: ['Time', 'Min', 'Phase', ...COLUMNS.map(([, h]) => h)],
    rows: [...rows.values()].map((r) => [
      r.time,
      signedMinutes(r.minute),
      r.phase,
      ...COLUMNS.map(([kind]) => r.cells.get(kind)?.join(', ') ?? '-'),
    ]),
  };
}

/** A short text alternative of the vitals (figures only, no names). */
function vitalsAlt(view: VitalsInput, minutes: (p: VitalPoint) => number): string {
  const status = view.dose.status === 'given' ? 'dose' : `${view.dose.status} dose`;
  const parts: string[] = [];
  const of = (kind: Kind): VitalPoint[] => byTime(view.vitals).filter((p) => p.kind === kind);
  const bp = of('blood-pressure');
  if (bp.length > 0) {
    const before = bp.filter((p) => minutes(p) < 0).at(-1);
    const highest = bp.reduce((a, b) => ((b.systolic ?? 0) > (a.systolic ?? 0) ? b : a));
    parts.push(
      `blood pressure ${bp.length} reading${bp.length > 1 ? 's' : ''}` +
        (before ? `, ${before.systolic}/${before.diastolic} before the dose` : '') +
        `, highest ${highest.systolic}/${highest.diastolic} at ${signedMinutes(minutes(highest))} min`
    );
  }
  const spread = (kind: Kind, label: string, unit: string): void => {
    const values = of(kind)
      .map((p) => p.value)
      .filter((v): v is number => v !== undefined);
    if (values.length > 0) {
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      parts.push(`${label} ${lo === hi ? lo : `${lo} to ${hi}`}${unit}`);
    }
  };
  spread('heart-rate', 'heart rate', '/min');
  spread('respiratory-rate', 'respiratory rate', '/min');
  spread('oxygen-saturation', 'SpO2', ' %');
  if (parts.length === 0) {
    return `Vital signs around the ${status}: none recorded.`;
  }
  const flagged = view.vitals.filter((p) => vitalFlag(p, view.thresholds) !== undefined).length;
  const span = view.vitals.map(minutes);
  return (
    `Vital signs from ${signedMinutes(Math.min(...span))} to ${signedMinutes(Math.max(...span))} min around the ${status} ` +
    `(start ${clockTime(view.dose.start)}): ${parts.join('; ')}. ` +
    (flagged === 0
      ? "No reading outside the clinic's thresholds."
      : `${flagged} reading${flagged > 1 ? 's' : ''} outside the clinic's thresholds.`)
  );
}

/** The plot area within the chart (px): room on the right for the SpO2 axis and, beyond it, the thresholds' names. */
const GRID = { left: 56, right: 112, top: 48, bottom: 44 } as const;

/** Gap (px) between the grid's right edge and the thresholds' names (past the SpO2 axis labels). */
const THRESHOLD_LABEL_GAP = 30;

/** Smallest vertical distance (px) between two thresholds' names. */
const THRESHOLD_LABEL_SPACING = 11;

/** Smallest distance (px) between the dose start and end lines for a label each ("dose 09:10" is about 55 px). */
const DOSE_LABELS_APART = 70;

/**
 * Vertical offsets (px) that keep labels at least `spacing` apart, each moved down as little as needed, in order
 * of their height on the chart.
 * @param ys - the labels' positions (px from the top)
 * @param spacing - the smallest distance between two labels
 * @returns the offset of each label, in the order given
 */
export function spreadLabels(ys: readonly number[], spacing: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const offsets = ys.map(() => 0);
  let last = Number.NEGATIVE_INFINITY;
  for (const { y, i } of order) {
    const placed = Math.max(y, last + spacing);
    offsets[i] = placed - y;
    last = placed;
  }
  return offsets;
}

/** Rounds an axis limit outwards to a multiple of `step`. */
function outward(value: number, step: number, up: boolean): number {
  return (up ? Math.ceil(value / step) : Math.floor(value / step)) * step;
}

/**
 * The vitals chart of a session (drawn again only when what it shows changed: the same input gives the same SVG).
 * @param view - the session
 * @returns the SVG, its text alternative and the table beneath it (shared: read only)
 */
export function vitalsChart(view: VitalsInput): SummaryChart {
  const input: VitalsInput = {
    dose: { start: view.dose.start, end: view.dose.end, status: view.dose.status },
    vitals: view.vitals,
    thresholds: view.thresholds,
  };
  return CHARTS.get(input, drawVitalsChart);
}

/** Draws the vitals chart (echarts). */
function drawVitalsChart(view: VitalsInput): SummaryChart {
  const start = view.dose.start;
  const minutes = (p: VitalPoint): number => minutesBetween(start, p.time);
  const doseEnd = view.dose.end ? Math.max(0, minutesBetween(start, view.dose.end)) : 0;
  const t = view.thresholds;
  const alt = vitalsAlt(view, minutes);
  const table = vitalsTable(view);
  const readings = byTime(view.vitals);
  const drawn = SERIES.map((spec) => ({
    spec,
    data: readings
      .filter((p) => p.kind === spec.kind && spec.values(p) !== undefined)
      .map((p) => [minutes(p), spec.values(p) as number] as [number, number]),
  })).filter((s) => s.data.length > 0);

  const xs = [0, doseEnd, ...drawn.flatMap((s) => s.data.map(([x]) => x))];
  const xMin = outward(Math.min(...xs) - 5, 10, false);
  const xMax = outward(Math.max(...xs) + 5, 10, true);
  const left = drawn.filter((s) => s.spec.axis === 0);
  const leftValues = left.flatMap((s) => [...s.data.map(([, y]) => y), ...s.spec.thresholds(t).map(([v]) => v)]);
  const yMin = leftValues.length ? Math.max(0, outward(Math.min(...leftValues) - 10, 20, false)) : 0;
  const yMax = leftValues.length ? outward(Math.max(...leftValues) + 10, 20, true) : 200;
  const spo2 = drawn.find((s) => s.spec.axis === 1);
  const spo2Min = Math.max(0, outward(Math.min(t.spo2Below - 2, ...(spo2?.data.map(([, y]) => y) ?? [])) - 2, 2, false));

  const plotWidth = VITALS_CHART_SIZE.width - GRID.left - GRID.right;
  const plotHeight = VITALS_CHART_SIZE.height - GRID.top - GRID.bottom;
  const startName = view.dose.status === 'given' ? `dose ${clockTime(start)}` : `${view.dose.status} ${clockTime(start)}`;
  const endLine = doseEnd > 0 && view.dose.end ? { xAxis: doseEnd, name: `end ${clockTime(view.dose.end)}` } : undefined;
  // A short dose: the two lines are too close for a label each; the start's label names both times.
  const oneLabel = endLine !== undefined && (doseEnd * plotWidth) / (xMax - xMin) < DOSE_LABELS_APART;
  const doseLines: MarkLineComponentOption['data'] = [
    { xAxis: 0, name: oneLabel && view.dose.end ? `${startName}-${clockTime(view.dose.end)}` : startName },
    ...(endLine ? [oneLabel ? { ...endLine, label: { show: false } } : endLine] : []),
  ];

  const phases: [number, number, string, string][] = [
    [xMin, 0, 'pre-dose', 'rgba(120,140,170,0.10)'],
    // a band too narrow for its name goes unnamed (the dose line's label gives both times)
    ...(doseEnd > 0 ? ([[0, doseEnd, oneLabel ? '' : 'during', 'rgba(230,160,40,0.18)']] as [number, number, string, string][]) : []),
    [doseEnd, xMax, 'post-dose', 'rgba(90,150,90,0.08)'],
  ];

  // The thresholds' names, right of the chart, spread apart where two lines are close (both axes share the column).
  const yPixel = (axis: 0 | 1, v: number): number =>
    axis === 0 ? GRID.top + ((yMax - v) / (yMax - yMin)) * plotHeight : GRID.top + ((100 - v) / (100 - spo2Min)) * plotHeight;
  const thresholdLines = drawn.flatMap(({ spec }) => spec.thresholds(t).map(([v, name]) => ({ spec, v, name })));
  const offsets = spreadLabels(
    thresholdLines.map((l) => yPixel(l.spec.axis, l.v)),
    THRESHOLD_LABEL_SPACING
  );
  const thresholdData = (spec: SeriesSpec) =>
    thresholdLines
      .map((l, k) => ({ ...l, dy: offsets[k] as number }))
      .filter((l) => l.spec === spec)
      .map((l) => ({
        yAxis: l.v,
        name: l.name,
        label: { position: 'end' as const, distance: THRESHOLD_LABEL_GAP, offset: [0, l.dy], fontSize: 9, color: spec.color, formatter: '{b}' },
      }));

  const series: LineSeriesOption[] = drawn.map(({ spec, data }, i) => ({
    type: 'line',
    name: spec.name,
    yAxisIndex: spec.axis,
    data,
    color: spec.color,
    symbol: spec.symbol,
    symbolSize: 8,
    lineStyle: { width: 2, type: spec.dashed ? 'dotted' : 'solid' },
    label: spec.labelPosition ? { show: true, position: spec.labelPosition, fontSize: 10, color: spec.color, formatter: (p) => String((p.value as number[])[1]) } : { show: false },
    markLine: {
      symbol: 'none',
      silent: true,
      lineStyle: { type: 'dashed', color: spec.color, width: 1 },
      label: { position: 'end', fontSize: 9, color: spec.color, formatter: '{b}' },
      data: [
        ...thresholdData(spec),
        // the dose start and end, once (on the first series)
        ...(i === 0
          ? (doseLines ?? []).map((d) => ({
              ...d,
              lineStyle: { type: 'solid' as const, color: '#222', width: 1.5 },
              label: { position: 'end' as const, color: '#222', fontSize: 10, formatter: '{b}', ...((d as { label?: object }).label ?? {}) },
            }))
          : []),
      ],
    },
    ...(i === 0
      ? {
          markArea: {
            silent: true,
            label: { position: 'insideTop', fontSize: 10, color: '#555' },
            data: phases.map(([from, to, name, color]) => [
              { xAxis: from, name, itemStyle: { color } },
              { xAxis: to },
            ]) as NonNullable<LineSeriesOption['markArea']>['data'],
          },
        }
      : {}),
  }));

  const option: EChartsOption = {
    backgroundColor: '#ffffff',
    legend: { top: 4, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 } },
    grid: { ...GRID },
    xAxis: {
      type: 'value',
      min: xMin,
      max: xMax,
      name: 'minutes from dose start',
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: (v: number) => signedMinutes(v) },
      splitLine: { show: false },
    },
    yAxis: [
      { type: 'value', min: yMin, max: yMax, name: 'mmHg, /min', nameLocation: 'middle', nameGap: 36, nameTextStyle: { fontSize: 10 } },
      // named above the axis: its right side is the thresholds' column
      { type: 'value', min: spo2Min, max: 100, name: 'SpO2 %', nameLocation: 'end', nameGap: 10, nameTextStyle: { fontSize: 10 }, splitLine: { show: false } },
    ],
    series,
    ...(drawn.length === 0
      ? { graphic: { type: 'text', left: 'center', top: 'middle', style: { text: 'No vital signs recorded', fontSize: 14, fill: '#555' } } }
      : {}),
  };
  return { svg: renderSvg(option, { ...VITALS_CHART_SIZE, idPrefix: 'kap-vitals', alt }), alt, table };
}

export type { ChartTable, SummaryChart } from './chart.js';
export { vitalsChart, vitalsTable, VITALS_CHART_SIZE } from './vitals-chart.js';
export { scoreTrajectoryChart, scoreTable, SCORE_CHART_SIZE } from './score-trajectory-chart.js';
export { vitalFlag, type VitalFlag } from './vital-flags.js';

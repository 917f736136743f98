/**
 * The parts of src/summary the web view renders with: the SessionView reader (read-session-view.ts), the charts
 * (src/summary/charts) and the session PDF (src/summary/pdf). One place, so that the routes and their tests take
 * them as plain functions.
 */
import { safetyConfig } from '../../safety/config.js';
import { scoreTrajectoryChart, vitalsChart } from '../../summary/charts/index.js';
import { sessionSummaryPdf } from '../../summary/pdf/index.js';
import { sessionView } from '../../summary/read-session-view.js';
import type { SessionViewReader } from './patient-record.js';
import type { ViewCharts } from './render-view.js';
import type { SessionView } from '../../summary/session-view.js';

/** Renders a session's summary PDF. */
export type SessionPdf = (view: SessionView) => Promise<Uint8Array>;

/** The SessionView of a dose, with the clinic's thresholds merged over the defaults. */
export const readSessionView: SessionViewReader = (bundle, maFullUrl, safety) => sessionView(bundle, maFullUrl, safety ? safetyConfig(safety) : undefined);

/** The reader, charts and PDF renderer of src/summary. */
export const viewSummary: { reader: SessionViewReader; charts?: ViewCharts; pdf?: SessionPdf } = {
  reader: readSessionView,
  // The same charts as the PDF's (the page draws them as images; its tables carry the same figures).
  charts: {
    vitals: (view) => (view.vitals.length > 0 ? vitalsChart(view) : undefined),
    scores: (trajectory) => scoreTrajectoryChart(trajectory),
  },
  pdf: sessionSummaryPdf,
};

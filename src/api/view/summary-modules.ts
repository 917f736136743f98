/**
 * The parts of src/summary (and src/rems) the web view renders with: the SessionView reader
 * (read-session-view.ts), the charts (src/summary/charts), the session PDF (src/summary/pdf), and, rendered on
 * request from the mapped episode Bundle, the episode summary (PDF and FHIR document) and a session's Spravato REMS
 * monitoring record PDF. One place, so that the routes and their tests take them as plain functions.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { remsMonitoringPdf } from '../../rems/rems-pdf.js';
import { remsMonitoringQuestionnaire } from '../../rems/rems-questionnaire.js';
import { remsMonitoringResponse } from '../../rems/rems-response.js';
import { safetyConfig, type SafetyOverrides } from '../../safety/config.js';
import { scoreTrajectoryChart, vitalsChart } from '../../summary/charts/index.js';
import { episodeSummaryDocument } from '../../summary/episode-document.js';
import { episodeSummaryPdf, sessionSummaryPdf } from '../../summary/pdf/index.js';
import { episodeSummaryView } from '../../summary/read-episode-view.js';
import { sessionView } from '../../summary/read-session-view.js';
import type { SessionViewReader } from './patient-record.js';
import type { ViewCharts } from './render-view.js';
import type { SessionView } from '../../summary/session-view.js';

/** Renders a session's summary PDF. */
export type SessionPdf = (view: SessionView) => Promise<Uint8Array>;

/** The documents rendered on request from a mapped episode Bundle (with the clinic's thresholds). */
export interface ViewDocuments {
  /** The episode summary PDF. */
  episodePdf: (bundle: Bundle, clinicId: string, safety?: SafetyOverrides) => Promise<Uint8Array>;
  /** The episode summary FHIR document Bundle; its timestamp is the end of the episode's last session. */
  episodeDocument: (bundle: Bundle, clinicId: string, safety?: SafetyOverrides, version?: number) => Bundle;
  /** The Spravato REMS monitoring record PDF of an esketamine dose given. */
  remsPdf: (bundle: Bundle, maFullUrl: string, safety?: SafetyOverrides) => Promise<Uint8Array>;
}

/** The SessionView of a dose, with the clinic's thresholds merged over the defaults. */
export const readSessionView: SessionViewReader = (bundle, maFullUrl, safety) => sessionView(bundle, maFullUrl, safety ? safetyConfig(safety) : undefined);

/** The published REMS Questionnaire (the PDF's item texts). */
const REMS_QUESTIONNAIRE = remsMonitoringQuestionnaire();

/** The episode summary, the FHIR document and the REMS record PDF of src/summary and src/rems. */
export const viewDocuments: ViewDocuments = {
  episodePdf: (bundle, clinicId, safety) => episodeSummaryPdf(episodeSummaryView(bundle, clinicId, safety ? safetyConfig(safety) : undefined)),
  episodeDocument: (bundle, clinicId, safety, version) => {
    const view = episodeSummaryView(bundle, clinicId, safety ? safetyConfig(safety) : undefined);
    const timestamp = new Date(Date.parse(view.period?.end ?? view.period?.start ?? '') || 0).toISOString();
    return episodeSummaryDocument(view, bundle, { timestamp, ...(version !== undefined ? { version } : {}) });
  },
  remsPdf: (bundle, maFullUrl, safety) => remsMonitoringPdf(remsMonitoringResponse(bundle, maFullUrl, safety ?? {}).response, REMS_QUESTIONNAIRE),
};

/** The reader, charts, PDF renderer and on-request documents of src/summary. */
export const viewSummary: { reader: SessionViewReader; charts?: ViewCharts; pdf?: SessionPdf; documents?: ViewDocuments } = {
  reader: readSessionView,
  // The same charts as the PDF's (the page draws them as images; its tables carry the same figures).
  charts: {
    vitals: (view) => (view.vitals.length > 0 ? vitalsChart(view) : undefined),
    scores: (trajectory) => scoreTrajectoryChart(trajectory),
  },
  pdf: sessionSummaryPdf,
  documents: viewDocuments,
};

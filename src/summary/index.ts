/**
 * The prescriber's view of a dosing session (issue 14): the SessionView read from the mapped FHIR resources, and the
 * session summary as a FHIR document Bundle; the episode summary (made on request) likewise. docs/summary.md.
 */
export type * from './session-view.js';
export type * from './episode-view.js';
export { episodeSummaryView, NoDosingSessionError } from './read-episode-view.js';
export { episodeSummaryDocument, SUMMARY_OF_EPISODE_NOTE, type EpisodeDocumentOptions } from './episode-document.js';
export { episodeSignals, type EpisodeSignal } from './read-episode-signals.js';
export { sessionView, SessionNotFoundError } from './read-session-view.js';
export { sessionEntries, type SessionEntries } from './session-entries.js';
export {
  dateTimeText,
  doseAmountText,
  KAP_SUMMARY_SECTION,
  PROGRESS_NOTE,
  sessionSummaryDocument,
  trajectoryStatement,
  vitalRows,
  type SessionDocumentOptions,
} from './session-document.js';
export { escapeXhtml } from './xhtml.js';
export { sessionSummaryEntries } from './session-summaries.js';

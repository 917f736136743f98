/**
 * What a prescriber reads about a whole ketamine treatment episode (issue 14, the episode summary made on request):
 * the patient and the prescriptions, one row per dosing session, the score trajectories over the episode, every
 * signal with its state, the latest plan and the care team. Read from the mapped FHIR resources of the episode
 * Bundle (`episodeSummaryView`, src/summary/read-episode-view.ts), built on the per-session `SessionView`s; the FHIR
 * document (src/summary/episode-document.ts) and the PDF (src/summary/pdf/episode-summary-pdf.ts) are made from it.
 *
 * Holds PHI (names, birth date, the plan's note): never log it; log ids and counts.
 */
import type { EpisodeSignal } from './read-episode-signals.js';
import type { DateTimeText, ScoreTrajectory, SessionView, SuicideRiskResult } from './session-view.js';

/** One dosing session of the episode, as its row in the episode summary. */
export interface EpisodeDoseRow {
  /** The session's local id. */
  sessionId: string;
  /** The dose: product, route, form, mg, mg/kg, status and its reason, times (the session's view). */
  dose: SessionView['dose'];
  /** The lowest SpO2 (%) from the dose on (pre-dose readings left out), when recorded. */
  lowestSpo2?: number;
  /** The highest blood pressure of the session (by systolic, then diastolic), when recorded. */
  highestBp?: { systolic: number; diastolic: number };
  /** How many safety signals the session's view lists. */
  signals: number;
}

/** Everything about one episode a prescriber reads. */
export interface EpisodeSummaryView {
  episodeId: string;
  clinic: { name: string };
  patient: SessionView['patient'];
  /** From the first dose's start to the end of the last session (as written). */
  period?: { start: DateTimeText; end?: DateTimeText };
  /** Every prescription of the episode, in Bundle order. */
  prescriptions: NonNullable<SessionView['prescription']>[];
  /** The dosing sessions, by dose time. */
  sessions: EpisodeDoseRow[];
  /** The PHQ-9 / GAD-7 / PCL-5 trajectories over the episode (no point marked as "this session"). */
  scores: ScoreTrajectory[];
  /** Every C-SSRS screener result of the episode, in time order (none marked "this session"). */
  suicideRisk: SuicideRiskResult[];
  /** Every signal of the episode, with its state and the session it is about. */
  signals: EpisodeSignal[];
  /** The latest plan / next-dose recommendation of the episode, with the session it was made at. */
  plan?: NonNullable<SessionView['plan']> & { sessionId: string };
  /** Who administered (or supervised), monitored and prescribed, over all sessions (each name once). */
  careTeam: { administeredBy: string[]; monitoredBy: string[]; prescribers: string[] };
}

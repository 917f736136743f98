/**
 * What a prescriber reads about one dosing session (issue 14), read from the mapped FHIR resources — the same data
 * the EHR and the prescriber receive, never a second copy of the clinic JSON. Every rendering (the FHIR document's
 * narrative, the PDF, the web view, the charts, the Spravato REMS form record) is made from this one value.
 * `sessionView(bundle, maFullUrl)` (src/summary/read-session-view.ts) builds it.
 *
 * Holds PHI (names, birth date, free-text plan note): never log it; log ids and counts.
 */

/** A time as written in the record (FHIR dateTime with offset). */
export type DateTimeText = string;

/** One vital sign, sedation score or oximetry reading around the dose. */
export interface VitalPoint {
  /** The Observation's clinic identifier value (local id). */
  id: string;
  kind: 'blood-pressure' | 'heart-rate' | 'respiratory-rate' | 'oxygen-saturation' | 'sedation';
  time: DateTimeText;
  phase?: 'pre-dose' | 'during-dose' | 'post-dose';
  /** Blood pressure only (mm[Hg]). */
  systolic?: number;
  diastolic?: number;
  /** HR /min, RR /min, SpO2 %, MOAA/S 0–5. */
  value?: number;
}

/** One total score of the episode's trajectory. */
export interface ScorePoint {
  /** The score Observation's local id (= the questionnaire result id). */
  id: string;
  time: DateTimeText;
  total: number;
  /** Severity band display (e.g. "moderate"), when the instrument has bands. */
  band?: string;
  /** True for the baseline score (instruments.md §0). */
  baseline: boolean;
  /** Percent change from baseline (positive = improvement), when there is one. */
  percentChange?: number;
  response?: boolean;
  remission?: boolean;
  /** True when the score belongs to this session's window (src/sync/session-findings.ts). */
  thisSession: boolean;
}

/**
 * A questionnaire response of the instrument that has no total: its QuestionnaireResponse (not entered in error) has
 * no score Observation derived from it (a required item left blank, e.g. PHQ-9 item 9). A table row, no chart point.
 */
export interface UnscoredResponse {
  /** The QuestionnaireResponse's local id (= the questionnaire result id). */
  id: string;
  /** `authored`. */
  time: DateTimeText;
  /** The QuestionnaireResponse status (e.g. `stopped`). */
  status: string;
  /** The required items left unanswered, by item number ("item 9") or linkId; empty when none is named. */
  missing: string[];
  /** True when the response belongs to this session's window (src/sync/session-findings.ts). */
  thisSession: boolean;
}

/** The trajectory of one instrument over the episode. */
export interface ScoreTrajectory {
  instrument: 'phq9' | 'gad7' | 'pcl5';
  title: string;
  /** Maximum total (27, 21, 80). */
  max: number;
  /** Band limits for shading: [from, to, display] (PHQ-9 0–4 minimal …); empty when none (PCL-5: cut-off only). */
  bands: [number, number, string][];
  points: ScorePoint[];
  /** The instrument's responses that could not be scored, in time order (rows of the tables, no chart point). */
  unscored: UnscoredResponse[];
}

/** One C-SSRS screener result: the risk Observation (LOINC 93374-7) and the version of its QuestionnaireResponse. */
export interface SuicideRiskResult {
  /** The risk Observation's local id (= the questionnaire result id). */
  id: string;
  time: DateTimeText;
  version: 'recent' | 'since-last-visit';
  /** The risk level's code (`kap-cssrs-risk`: none, low, moderate, high) and display. */
  risk: string;
  riskDisplay: string;
  /** The `kap-observation#cssrs-inconsistent` component is true: the answers contradict each other. */
  inconsistent: boolean;
  /** True when the result belongs to this session's window (src/sync/session-findings.ts). */
  thisSession: boolean;
}

/** One item of the session's contraindication and precaution screening (`kap-screening` Observations). */
export interface ScreeningFinding {
  /** The item's display, e.g. "Pregnancy". */
  item: string;
  result: 'present' | 'absent' | 'unknown';
}

/** A safety signal of the session. */
export interface SignalLine {
  rule: string;
  display: string;
  severity: 'urgent' | 'attention' | 'information';
  detail: string;
}

/** Thresholds the clinic uses (drawn on the vitals chart). */
export interface VitalThresholds {
  systolic: number;
  diastolic: number;
  severeSystolic: number;
  severeDiastolic: number;
  spo2Below: number;
  heartRate: [number, number];
  respiratoryRate: [number, number];
}

/** Everything about one dosing session a prescriber reads. */
export interface SessionView {
  /** The episode's and the session's local ids. */
  episodeId: string;
  sessionId: string;
  clinic: { name: string };
  patient: { name: string; birthDate?: string; gender?: string };
  prescription?: {
    id: string;
    prescriber?: string;
    /** The written or generated sig (MedicationRequest.dosageInstruction.text). */
    sig?: string;
    /** e.g. "0.5 mg/kg" or "84 mg". */
    dose?: string;
    sessions?: number;
    validity?: { start?: string; end?: string };
  };
  dose: {
    /** Display of the product (RxNorm), e.g. "esketamine Nasal Spray [Spravato]" or "ketamine". */
    product: string;
    esketamine: boolean;
    /** Route display, e.g. "Intravenous route". */
    route: string;
    /** Dosage form display (contained Medication.form), when recorded. */
    form?: string;
    /** Strength, e.g. "50 mg per mL", "50 mg per lozenge (troche)", when recorded. */
    strength?: string;
    mg?: number;
    mgPerKg?: number;
    bodyWeightKg?: number;
    deviceCount?: number;
    lot?: string;
    status: 'given' | 'held' | 'partial' | 'refused';
    /** Display of the status reason, when not given. */
    statusReason?: string;
    start: DateTimeText;
    end?: DateTimeText;
    selfAdministered: boolean;
  };
  session: { start: DateTimeText; end?: DateTimeText; dischargedAt?: DateTimeText };
  careTeam: { administeredBy?: string; monitoredBy: string[]; prescriber?: string };
  vitals: VitalPoint[];
  thresholds: VitalThresholds;
  dissociation?: { score: number; time?: DateTimeText };
  sideEffects: { effect: string; severity: string; serious?: boolean; outcome?: string; onset?: DateTimeText }[];
  respiratoryDepression?: { observed: boolean; time: DateTimeText };
  discharge?: { criteriaMet: boolean; readyAt: DateTimeText; transport: string };
  /** Active medications at the dose, by class display (and name when recorded); `none` when the review said so. */
  medications?: { reviewedAt: DateTimeText; none: boolean; items: { class: string; name?: string }[] };
  /**
   * The session's contraindication and precaution screening (its Encounter's `kap-screening` Observations):
   * `noneKnown` when the clinic recorded none known; absent when the session has no screening.
   */
  screening?: { screenedAt: DateTimeText; noneKnown: boolean; findings: ScreeningFinding[] };
  signals: SignalLine[];
  scores: ScoreTrajectory[];
  /**
   * The C-SSRS screener results of this session's window and of the windows before it, in time order (the last
   * session's view holds them all).
   */
  suicideRisk: SuicideRiskResult[];
  plan?: { recommendation: string; nextDose?: string; note?: string; author?: string; time: DateTimeText };
}

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

/** The trajectory of one instrument over the episode. */
export interface ScoreTrajectory {
  instrument: 'phq9' | 'gad7' | 'pcl5';
  title: string;
  /** Maximum total (27, 21, 80). */
  max: number;
  /** Band limits for shading: [from, to, display] (PHQ-9 0–4 minimal …); empty when none (PCL-5: cut-off only). */
  bands: [number, number, string][];
  points: ScorePoint[];
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
    /** Strength, e.g. "100 mg per unit", when recorded. */
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
  signals: SignalLine[];
  scores: ScoreTrajectory[];
  plan?: { recommendation: string; nextDose?: string; note?: string; author?: string; time: DateTimeText };
}

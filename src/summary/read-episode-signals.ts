/**
 * Every safety signal of an episode as the web view and the episode summary list them, read from the mapped Bundle's DetectedIssues (the
 * session views carry only the signals about their own dose; a signal about a screening or a score between
 * sessions belongs to the episode). Each with its state as the record says it: the DetectedIssue's status and
 * whether a Communication about it went to the prescriber, and the dosing session it is about, when it is about one.
 */
import type { Bundle, Communication, DetectedIssue, MedicationAdministration } from '@medplum/fhirtypes';
import { clinicIdentifierValue } from '../fhir/identifiers.js';
import { parseIdentifierValue } from '../identity/record-identity.js';
import { SAFETY_SIGNAL_DISPLAY } from '../safety/signal-resources.js';
import type { SafetyRule } from '../safety/types.js';
import type { SessionView, SignalLine } from './session-view.js';
import { KAP_SAFETY_SIGNAL } from '../terminology/systems.js';

/** A signal of the episode. */
export interface EpisodeSignal extends SignalLine {
  /** When it was identified (as recorded). */
  identified?: string;
  /** DetectedIssue.status: `final` = raised. */
  status: DetectedIssue['status'];
  /** True when a completed Communication about it went to a recipient (the prescriber). */
  notified: boolean;
  /** The dosing session it is about (its local id), when it is about a dose, its vitals or its observations. */
  sessionId?: string;
}

const SEVERITY = { high: 'urgent', moderate: 'attention', low: 'information' } as const;

/**
 * The signals of an episode Bundle, in Bundle order.
 * @param bundle - the mapped episode Bundle (with its signals)
 * @param clinicId - the clinic (its identifiers name the sessions)
 */
export function episodeSignals(bundle: Bundle, clinicId: string): EpisodeSignal[] {
  const entries = bundle.entry ?? [];
  // fullUrl of a MedicationAdministration, of an Observation part of one, of an AdverseEvent it is suspect of → session
  const sessionOf = new Map<string, string>();
  for (const e of entries) {
    if (e.resource?.resourceType === 'MedicationAdministration' && e.fullUrl) {
      const value = clinicIdentifierValue(e.resource as MedicationAdministration, clinicId);
      if (value) {
        sessionOf.set(e.fullUrl, parseIdentifierValue(value).localId);
      }
    }
  }
  for (const e of entries) {
    const r = e.resource;
    if (!e.fullUrl || !r) {
      continue;
    }
    const ma =
      r.resourceType === 'Observation'
        ? r.partOf?.find((p) => sessionOf.has(p.reference ?? ''))?.reference
        : r.resourceType === 'AdverseEvent'
          ? r.suspectEntity?.find((s) => sessionOf.has(s.instance?.reference ?? ''))?.instance?.reference
          : undefined;
    if (ma) {
      sessionOf.set(e.fullUrl, sessionOf.get(ma) as string);
    }
  }
  const notified = new Set(
    entries
      .map((e) => e.resource)
      .filter((r): r is Communication => r?.resourceType === 'Communication' && r.status === 'completed' && (r.recipient?.length ?? 0) > 0)
      .flatMap((c) => (c.about ?? []).map((a) => a.reference))
  );
  const out: EpisodeSignal[] = [];
  for (const e of entries) {
    const d = e.resource;
    if (d?.resourceType !== 'DetectedIssue') {
      continue;
    }
    const rule = d.code?.coding?.find((c) => c.system === KAP_SAFETY_SIGNAL)?.code ?? '';
    const sessionId = (d.implicated ?? []).map((r) => sessionOf.get(r.reference ?? '')).find((s) => s !== undefined);
    out.push({
      rule,
      display: SAFETY_SIGNAL_DISPLAY[rule as SafetyRule] ?? d.code?.coding?.[0]?.display ?? rule,
      severity: SEVERITY[d.severity ?? 'low'],
      detail: d.detail ?? '',
      ...(d.identifiedDateTime ? { identified: d.identifiedDateTime } : {}),
      status: d.status,
      notified: e.fullUrl !== undefined && notified.has(e.fullUrl),
      ...(sessionId ? { sessionId } : {}),
    });
  }
  return out;
}

/**
 * Signals the Bundle's references tie to no dose (a score's, say) are given the one session whose view lists them
 * (the session's own scores by time window, src/sync/session-findings.ts), when exactly one does.
 * @param signals - the episode's signals ({@link episodeSignals})
 * @param sessions - the views of the episode's dosing sessions
 */
export function attributedSignals(signals: EpisodeSignal[], sessions: readonly SessionView[]): EpisodeSignal[] {
  return signals.map((s) => {
    if (s.sessionId) {
      return s;
    }
    const listing = sessions.filter((v) => v.signals.some((l) => l.rule === s.rule && l.detail === s.detail));
    return listing.length === 1 ? { ...s, sessionId: (listing[0] as SessionView).sessionId } : s;
  });
}

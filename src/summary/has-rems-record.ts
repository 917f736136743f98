/** Which dosing sessions have a Spravato REMS monitoring record (the web view links its PDF). */
import type { SessionView } from './session-view.js';

/**
 * Whether a dosing session has a Spravato REMS patient monitoring record (src/rems): an esketamine dose given, wholly
 * or in part — the sessions src/summary/session-summaries.ts makes a record and its PDF for (`isEsketamine` and
 * `doseGiven` of the MedicationAdministration). A held or refused dose has no record to complete.
 * @param view - the session's view
 */
export function hasRemsRecord(view: Pick<SessionView, 'dose'>): boolean {
  return view.dose.esketamine && (view.dose.status === 'given' || view.dose.status === 'partial');
}

/**
 * The session summaries an episode's Bundle carries (issue 14): for every dosing session, the summary's Composition
 * (profile kap-session-summary, its sections citing the mapped resources of the Bundle) and a DocumentReference with
 * the rendered PDF; for an esketamine dose given, also its Spravato REMS monitoring record (QuestionnaireResponse,
 * src/rems) and that record's PDF (a DocumentReference). Both go, as conditional updates keyed by `<episode>/summary-<session>`, to the EHR with the
 * episode and to the prescriber with the session (src/sync/session-findings.ts picks them by their encounter).
 * Rendered from the mapped FHIR resources only, with the session's own times as dates, so the same episode gives
 * the same bytes and an unchanged summary is not written again.
 *
 * A PDF costs about 55 ms of CPU (bench:summary), so each version of an episode carries the summaries of its latest
 * {@link SUMMARIES_PER_EPISODE} dosing sessions (by dose start) only: a year's backfill does not render a hundred PDFs
 * per submission. Older sessions' summaries were sent with earlier versions, and are always at hand in the web view
 * and from `kap-fhir summary` (docs/summary.md). The service takes the count from `limits.summariesPerVersion`
 * (`LIMIT_SUMMARIES_PER_VERSION`), which an operator raises for a backfill whose every session's summary must go out.
 */
import type { Bundle, BundleEntry, Composition } from '@medplum/fhirtypes';
import { BundleIndex } from '../bundle-index.js';
import { transactionEntry } from '../fhir/bundle.js';
import type { SafetyConfig } from '../safety/config.js';
import { doseGiven, doseStart, isEsketamine } from '../safety/episode-view.js';
import { remsDocumentReference } from '../rems/rems-document-reference.js';
import { remsMonitoringPdf } from '../rems/rems-pdf.js';
import { remsMonitoringQuestionnaire } from '../rems/rems-questionnaire.js';
import { remsMonitoringResponse } from '../rems/rems-response.js';
import { summaryDocumentReference, summaryReferences } from './document-reference.js';
import { sessionSummaryPdf } from './pdf/index.js';
import { sessionView } from './read-session-view.js';
import { sessionSummaryDocument } from './session-document.js';

/** The published REMS Questionnaire (the PDF's item texts). */
const REMS_QUESTIONNAIRE = remsMonitoringQuestionnaire();

/** How many of an episode's latest dosing sessions get their summary with each version (the default of `limits.summariesPerVersion`). */
export const SUMMARIES_PER_EPISODE = 12;

/**
 * The Composition and PDF DocumentReference of every dosing session of an episode Bundle, as transaction entries.
 * @param bundle - the episode Bundle (mapped, with its safety signals)
 * @param clinicId - the clinic
 * @param safety - the clinic's thresholds (drawn on the vitals chart)
 * @param max - at most this many, the latest by dose start (default {@link SUMMARIES_PER_EPISODE})
 */
export async function sessionSummaryEntries(
  bundle: Bundle,
  clinicId: string,
  safety?: Partial<SafetyConfig>,
  max: number = SUMMARIES_PER_EPISODE
): Promise<BundleEntry[]> {
  const out: BundleEntry[] = [];
  const doses = new BundleIndex(bundle)
    .ofType('MedicationAdministration')
    .filter((ma) => ma.fullUrl !== undefined)
    .map((ma) => ({ ma, at: Date.parse(doseStart(ma.resource) ?? '') || 0 }))
    .sort((a, b) => b.at - a.at || b.ma.index - a.ma.index)
    .slice(0, max)
    .sort((a, b) => a.ma.index - b.ma.index);
  for (const { ma } of doses) {
    if (!ma.fullUrl) {
      continue;
    }
    const view = sessionView(bundle, ma.fullUrl, safety);
    const timestamp = view.session.dischargedAt ?? view.session.end ?? view.dose.end ?? view.dose.start;
    const document = sessionSummaryDocument(view, bundle, ma.fullUrl, { timestamp });
    const composition = document.entry?.[0]?.resource as Composition;
    const compositionEntry = transactionEntry(composition);
    const pdf = await sessionSummaryPdf(view);
    const reference = summaryDocumentReference(view, pdf, {
      clinicId,
      ...summaryReferences(bundle, ma.fullUrl),
      related: [{ reference: compositionEntry.fullUrl }],
    });
    out.push(compositionEntry, transactionEntry(reference));
    if (isEsketamine(ma.resource) && doseGiven(ma.resource)) {
      // the Spravato REMS Patient Monitoring Form record of the session (src/rems; in-progress when incomplete)
      const { response } = remsMonitoringResponse(bundle, ma.fullUrl, safety ?? {});
      const responseEntry = transactionEntry(response);
      const remsPdf = remsDocumentReference(response, { reference: responseEntry.fullUrl }, await remsMonitoringPdf(response, REMS_QUESTIONNAIRE));
      out.push(responseEntry, ...(remsPdf ? [transactionEntry(remsPdf)] : []));
    }
  }
  return out;
}

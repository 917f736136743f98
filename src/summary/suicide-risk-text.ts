/**
 * How the summaries and the web view name a C-SSRS screener result (src/summary/read-suicide-risk.ts): its version
 * and one line "screener, since last visit: risk High (answers contradict each other)".
 */
import type { SuicideRiskResult } from './session-view.js';

/** The heading of the C-SSRS part of the summaries and the web view. */
export const SUICIDE_RISK_TITLE = 'Suicide risk screening (C-SSRS)';

/** How the views name a screener version. */
export const CSSRS_VERSION_TEXT: Record<SuicideRiskResult['version'], string> = {
  recent: 'screener, recent',
  'since-last-visit': 'screener, since last visit',
};

/**
 * A result as one line: "screener, since last visit: risk High (answers contradict each other)".
 * @param r - the result
 */
export function suicideRiskText(r: SuicideRiskResult): string {
  return `${CSSRS_VERSION_TEXT[r.version]}: risk ${r.riskDisplay}${r.inconsistent ? ' (answers contradict each other)' : ''}`;
}

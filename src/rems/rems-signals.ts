/**
 * `rems-form-incomplete` (attention): an esketamine dose given whose Spravato REMS monitoring record (rems-response.ts)
 * misses a required field. The signal implicates the dose only; which fields are missing is read from the REMS record
 * itself (`remsMonitoringResponse(bundle, maFullUrl).missing`, its QuestionnaireResponse and PDF), never put into the
 * DetectedIssue, whose detail text is fixed per rule (docs/summary.md "REMS monitoring record", docs/safety.md).
 */
import type { BundleIndex } from '../bundle-index.js';
import type { SafetyConfig } from '../safety/config.js';
import { givenDoses, isEsketamine } from '../safety/episode-view.js';
import type { SafetySignal } from '../safety/types.js';
import { readRemsAnswers } from './rems-facts.js';
import { missingRemsItems } from './rems-response.js';

/**
 * One signal per esketamine dose given whose REMS record has a missing required field. Resources: the MA.
 * @param index - the episode Bundle's index
 * @param config - the clinic's safety config
 */
export function remsFormIncompleteSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  return givenDoses(index)
    .filter((ma) => isEsketamine(ma.resource) && missingRemsItems(readRemsAnswers(index, ma, config)).length > 0)
    .map((ma) => ({ rule: 'rems-form-incomplete', severity: 'attention', resources: [ma.ref] }));
}

/**
 * How the summaries and the web view name a questionnaire response that could not be scored
 * (src/summary/read-unscored-responses.ts): "not scored: item 9 unanswered".
 */
import type { UnscoredResponse } from './session-view.js';

/**
 * "not scored: item 9 unanswered" (or "not scored" when no item is named).
 * @param u - the unscored response
 */
export function unscoredText(u: UnscoredResponse): string {
  const why = unansweredText(u);
  return why ? `not scored: ${why}` : 'not scored';
}

/**
 * "item 9 unanswered", "items 3 and 9 unanswered", or '' when no item is named.
 * @param u - the unscored response
 */
export function unansweredText(u: UnscoredResponse): string {
  if (u.missing.length === 0) {
    return '';
  }
  const numbered = u.missing.every((m) => m.startsWith('item '));
  const names = numbered ? u.missing.map((m) => m.slice('item '.length)) : u.missing;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const items = numbered ? `${names.length === 1 ? 'item' : 'items'} ${list}` : list;
  return `${items} unanswered`;
}

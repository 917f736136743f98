/**
 * One entry's outcome at the server, and what the engine does with it: 2xx written; 429, 5xx, 408 and a
 * serialization conflict (409) retried for that entry; any other 4xx refused — dead letter with the
 * entry's index, type, status and the server's reason, every value taken from the submitted resource
 * removed from it (an operator can act on "Unknown search parameter: identifier"; no PHI leaves).
 */
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

/** How an entry ended. */
export type EntryState = 'written' | 'retry' | 'rejected';

/** One entry's result. */
export interface EntryResult {
  index: number;
  resourceType: string;
  state: EntryState;
  status: number;
  /** `Type/id` at the server (written). */
  location?: string;
  /** The server's reason, values from the submitted resource removed (retry / rejected). */
  reason?: string;
}

/** What a dead letter keeps of a refused entry. */
export type RefusedEntry = Pick<EntryResult, 'index' | 'resourceType' | 'status' | 'reason'>;

/**
 * The state an HTTP status puts an entry in.
 * @param status - the entry's status
 */
export function entryState(status: number): EntryState {
  if (status >= 200 && status < 300) {
    return 'written';
  }
  return status === 429 || status === 408 || status === 409 || status >= 500 || status === 0 ? 'retry' : 'rejected';
}

/**
 * A conditional update refused because the server resolved its key concurrently: the server looked the
 * key up, another request wrote a resource under that key, and the update then found an id other than the
 * one it had resolved (Medplum: 400 "Resource ID did not match resolved ID" or "Cannot perform create as
 * update with client-assigned ID", expression `<Type>.id`). The body sent had no id, so the refusal is not
 * about what was sent: a conflict (409) like a serialization failure, retried — not a dead letter. It
 * happens when a request another attempt gave up on (a timeout) is still being processed at the server.
 * @param status - the entry's status
 * @param outcome - the server's OperationOutcome for the entry
 * @param sent - the resource that was sent
 * @returns true for such a refusal
 */
export function isKeyRace(status: number, outcome: OperationOutcome | undefined, sent: Resource): boolean {
  const idPath = `${sent.resourceType}.id`;
  return status === 400 && !sent.id && (outcome?.issue ?? []).some((i) => (i.expression ?? []).includes(idPath));
}

/** Every string and number inside a value (the submitted resource's values). */
function valuesIn(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string' || typeof value === 'number') {
    out.add(String(value));
  } else if (Array.isArray(value)) {
    value.forEach((v) => valuesIn(v, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => valuesIn(v, out));
  }
  return out;
}

/** Values that are structure, not data: kept in the reason (public code systems and profiles). */
const STRUCTURAL = /^https?:\/\/(?:hl7\.org|terminology\.hl7\.org|loinc\.org|snomed\.info|www\.nlm\.nih\.gov|unitsofmeasure\.org)\/\S*$/;

/**
 * The server's reason text (diagnostics and details.text of its OperationOutcome) with every value of
 * the submitted resource that is at least 3 characters long replaced by `…` (URL-encoded forms too).
 * @param outcome - the server's OperationOutcome for the entry
 * @param submitted - the resource that was sent
 * @returns the redacted reason, at most 300 characters, or undefined
 */
export function redactedReason(outcome: OperationOutcome | undefined, submitted: Resource): string | undefined {
  const texts = (outcome?.issue ?? []).flatMap((i) => [i.details?.text, i.diagnostics]).filter((t): t is string => !!t);
  if (texts.length === 0) {
    return undefined;
  }
  const values = [...valuesIn(submitted, new Set())]
    .filter((v) => v.length >= 3 && v !== submitted.resourceType && !STRUCTURAL.test(v))
    .flatMap((v) => [v, encodeURIComponent(v)])
    .sort((a, b) => b.length - a.length);
  let text = [...new Set(texts)].join('; ');
  for (const v of values) {
    text = text.split(v).join('…');
  }
  return text.slice(0, 300);
}

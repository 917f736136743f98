/**
 * Time arithmetic on FHIR `dateTime` values (scores over time, dose and discharge times).
 */

/**
 * Milliseconds since the epoch of a FHIR dateTime.
 * @param dateTime - the value
 * @returns the milliseconds, or undefined when absent or unreadable
 */
export function timeOf(dateTime: string | undefined): number | undefined {
  if (!dateTime) {
    return undefined;
  }
  const t = Date.parse(dateTime);
  return Number.isNaN(t) ? undefined : t;
}

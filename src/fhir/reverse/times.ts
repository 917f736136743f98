/**
 * Dates and times on the way back: FHIR allows partial dates and times without seconds; the KAP model
 * wants date-times with offset and seconds, and `YYYY-MM-DD` dates. Values that do not fit are dropped
 * (and reported by the caller), never guessed.
 */
import { instant, kapDateSchema, kapDateTimeSchema } from '../../kap/primitives.js';

/** The value when it is a KAP date-time (ISO 8601 with offset), else undefined. */
export function kapDateTime(value: string | undefined): string | undefined {
  return value !== undefined && kapDateTimeSchema.safeParse(value).success ? value : undefined;
}

/**
 * A KAP date from a FHIR date or dateTime (the date part of a dateTime), else undefined.
 * @param value - FHIR `date` or `dateTime`
 */
export function kapDate(value: string | undefined): string | undefined {
  const date = value?.slice(0, 10);
  return date !== undefined && kapDateSchema.safeParse(date).success ? date : undefined;
}

/**
 * Compares two entities chronologically (by instant, across offsets), then by id: the order in which
 * the way back returns sessions, vital signs, prescriptions and questionnaire results (docs/mapping.md).
 * @param a - first: time and id
 * @param b - second: time and id
 */
export function byTimeThenId(a: { time: string; id: string }, b: { time: string; id: string }): number {
  const d = instant(a.time) - instant(b.time);
  if (d !== 0) {
    return d;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Compares ids (plain code-unit order, as the forward mapping sorts identifiers). */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

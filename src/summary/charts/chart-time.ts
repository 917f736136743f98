/**
 * Times of the summary as the record writes them (FHIR dateTime with the clinic's offset). Clock times and dates
 * are read from the written text, never converted to the machine's time zone, so a summary renders the same on
 * every machine; durations come from the instants.
 */
import type { DateTimeText } from '../session-view.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/**
 * Minutes from one time to another (negative when `to` is before `from`), to 0.1 min.
 * @param from - the origin
 * @param to - the time
 */
export function minutesBetween(from: DateTimeText, to: DateTimeText): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 6_000) / 10;
}

/**
 * The written clock time `HH:MM` (the clinic's local time), or '' for a date alone.
 * @param time - a dateTime
 */
export function clockTime(time: DateTimeText): string {
  return time.length >= 16 ? time.slice(11, 16) : '';
}

/**
 * The written date `YYYY-MM-DD`.
 * @param time - a date or dateTime
 */
export function writtenDate(time: DateTimeText): string {
  return time.slice(0, 10);
}

/**
 * The written date as a day number (days since 1970-01-01 of that calendar date).
 * @param time - a date or dateTime
 */
export function dayNumber(time: DateTimeText): number {
  const [y, m, d] = writtenDate(time).split('-').map(Number);
  return Math.round(Date.UTC(y as number, (m as number) - 1, d as number) / DAY_MS);
}

/**
 * A day number as a short date, e.g. `10 Aug 2026` (or `10 Aug` with `year: false`).
 * @param day - days since 1970-01-01
 * @param year - whether to write the year
 */
export function shortDate(day: number, year = true): string {
  const date = new Date(day * DAY_MS);
  const text = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  return year ? `${text} ${date.getUTCFullYear()}` : text;
}

/**
 * A signed offset in minutes, e.g. `-10`, `0`, `+40`.
 * @param minutes - the offset
 */
export function signedMinutes(minutes: number): string {
  const text = Number.isInteger(minutes) ? String(Math.abs(minutes)) : Math.abs(minutes).toFixed(1);
  return minutes > 0 ? `+${text}` : minutes < 0 ? `-${text}` : '0';
}

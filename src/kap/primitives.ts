/**
 * Primitive KAP types shared by the KAP schemas (docs/kap-model.md): ids, times, dates, names.
 * Times are ISO 8601 date-times **with offset** and seconds (FHIR `dateTime` precision when a time
 * is given); dates are `YYYY-MM-DD` (FHIR `date`).
 */
import { z } from 'zod';
import { FHIR_ID } from '../fhir-id.js';
import { isWellFormedText, LONE_SURROGATE_TEXT } from '../unicode.js';

/** The clinic's own id of an entity: a FHIR id (FHIR R4 §2.24.0.1 id, src/fhir-id.ts). */
export const kapIdSchema = z.string().regex(FHIR_ID);

/** An ISO 8601 date-time with offset and seconds, e.g. `2026-03-02T09:00:00-05:00`. */
export const kapDateTimeSchema = z.iso.datetime({ offset: true });

/** A calendar date `YYYY-MM-DD` (a real day: 2026-02-30 is rejected). */
export const kapDateSchema = z.iso.date();

/**
 * Free text a clinic sends (names, identifier values, phone): any string of well-formed Unicode. A
 * lone UTF-16 surrogate (JSON `"\ud800"`) is refused naming the field: encoders replace it, so
 * the EHR would store other text than was checked. The API refuses it for every body already
 * (src/api/json-limits.ts); this keeps the CLI (`kap-fhir map`) and every other parse path as strict.
 */
export const kapTextSchema = z.string().refine(isWellFormedText, { message: LONE_SURROGATE_TEXT });

/** Free text that must not be blank (trimmed, ≥ 1 character, well-formed Unicode). */
export const kapNonBlankTextSchema = z.string().trim().min(1).refine(isWellFormedText, { message: LONE_SURROGATE_TEXT });

/** A person's name: given names (≥ 1) and family name (FHIR HumanName subset). */
export const humanNameSchema = z.strictObject({
  given: z.array(kapNonBlankTextSchema).min(1),
  family: kapNonBlankTextSchema,
});
/** A person's name. */
export type HumanName = z.infer<typeof humanNameSchema>;

/** A period of date-times; `end` optional (ongoing). End before start is rejected by the episode rules. */
export const kapPeriodSchema = z.strictObject({
  start: kapDateTimeSchema,
  end: kapDateTimeSchema.optional(),
});
/** A period of date-times. */
export type KapPeriod = z.infer<typeof kapPeriodSchema>;

/** Milliseconds since the epoch of a date-time with offset (comparisons across offsets). */
export function instant(dateTime: string): number {
  return Date.parse(dateTime);
}

/**
 * True when a 10-digit NPI is Luhn-valid with the `80840` prefix (CMS, "Requirements for NPI check digit").
 * @param npi - ten digits
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) {
    return false;
  }
  const digits = `80840${npi}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** An NPI: 10 digits, Luhn-valid (messages never echo the value). */
export const npiSchema = z
  .string()
  .regex(/^\d{10}$/)
  .refine(isValidNpi, { message: 'NPI check digit is not valid' });

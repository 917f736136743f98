/**
 * Well-formed text: a JavaScript string may hold a lone UTF-16 surrogate (JSON's `"\ud800"` escape
 * makes one), which is not Unicode text: UTF-8 encoders replace it, so what a FHIR server or a
 * database stores differs from what was checked. kap-fhir refuses such strings at the door.
 */

/** A lone UTF-16 surrogate: with the `u` flag a valid pair is one code point, so only unpaired halves match. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when a string is well-formed UTF-16 (no lone surrogate), like ES2024's
 * `String.prototype.isWellFormed` (the project's `lib` is ES2023).
 * @param text - any string
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Fixed text of a lone-surrogate refusal (never the value). */
export const LONE_SURROGATE_TEXT = 'Text is not well-formed Unicode (a lone UTF-16 surrogate)';

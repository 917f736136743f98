/**
 * The FHIR `id` datatype (FHIR R4 datatypes.html#id: `[A-Za-z0-9\-\.]{1,64}`), taken from Medplum's
 * `validationRegexes.id` so that kap-fhir writes the pattern nowhere itself. Clinic, target, episode and
 * KAP entity ids all follow it (no `_`, no `:`, no `/`, no `~`: the characters our composite names use).
 */
import { validationRegexes } from '@medplum/core';

/** Matches a whole string that is a FHIR id. */
export const FHIR_ID: RegExp = validationRegexes.id;

/** The FHIR id pattern without its anchors, to compose into larger patterns: `[A-Za-z0-9\-.]{1,64}`. */
export const FHIR_ID_PATTERN: string = FHIR_ID.source.replace(/^\^/, '').replace(/\$$/, '');

/** One character of a FHIR id, to compose into larger patterns: `[A-Za-z0-9\-.]`. */
export const FHIR_ID_CHARACTER: string = FHIR_ID_PATTERN.slice(0, FHIR_ID_PATTERN.lastIndexOf('{'));

/**
 * Reading codes on the way back: the coding of a concept in a system, and the KAP key whose terminology
 * constant a concept carries.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

/** The codings of a concept that are objects (an EHR's odd shape — no array, nulls — yields none). */
export function codingsOf(concept: CodeableConcept | undefined): Coding[] {
  const list = typeof concept === 'object' && concept !== null ? (concept as { coding?: unknown }).coding : undefined;
  return Array.isArray(list) ? list.filter((c): c is Coding => typeof c === 'object' && c !== null) : [];
}

/** The first coding of a concept in a system (optionally with one of the given codes). */
export function codingIn(concept: CodeableConcept | undefined, system: string, codes?: readonly string[]): Coding | undefined {
  return codingsOf(concept).find(
    (c) => c.system === system && typeof c.code === 'string' && (codes === undefined || codes.includes(c.code))
  );
}

/** Finds the KAP key whose constant coding matches a concept (system + code). */
export function keyForConcept<K extends string>(
  concept: CodeableConcept | undefined,
  table: Readonly<Record<K, { system: string; code: string }>>
): K | undefined {
  for (const c of codingsOf(concept)) {
    for (const key of Object.keys(table) as K[]) {
      if (table[key].system === c.system && table[key].code === c.code) {
        return key;
      }
    }
  }
  return undefined;
}

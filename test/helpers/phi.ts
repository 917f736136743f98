/**
 * Test helpers for the PHI scans (patient data must never be in clear in Redis or in the logs): the PHI strings of a
 * KAP episode, and a search that finds them as tokens of their own.
 */

type Json = Record<string, unknown>;

/** Free-text field names (the KAP model has none today: any added later is covered). */
const FREE_TEXT = new Set(['note', 'notes', 'text', 'comment', 'comments', 'description']);

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

/**
 * The PHI of a KAP episode: the patient's name parts, birth date, id and identifier values, phone and
 * e-mail (contact and any telecom), the care team's names and NPIs, and every free-text field.
 */
export function phiOf(episode: Json): string[] {
  const patient = (episode.patient ?? {}) as Json;
  const name = (patient.name ?? {}) as Json;
  const out = [
    ...strings([name.given, name.family, name.prefix, name.suffix, name.text]),
    ...strings(patient.birthDate),
    ...strings(patient.id),
    ...((patient.identifiers ?? []) as Json[]).flatMap((i) => strings(i.value)),
    ...strings(patient.contact),
    ...((patient.telecom ?? []) as Json[]).flatMap((t) => strings(t.value)),
  ];
  for (const member of (episode.careTeam ?? []) as Json[]) {
    const n = (member.name ?? {}) as Json;
    out.push(...strings([n.given, n.family, n.prefix, n.suffix]), ...strings(member.npi));
  }
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (FREE_TEXT.has(k)) {
          out.push(...strings(child));
        }
        visit(child);
      }
    }
  };
  visit(episode);
  return out;
}

const ALPHANUMERIC = /[A-Za-z0-9]/;

/**
 * Whether `needle` occurs in `haystack` as a token of its own: not glued to letters or digits on a side where the
 * needle itself ends in one. A name of four letters is found in `"given":["Drew"]` or `patient:Drew`, not inside a
 * random base64url hash of a key (`…:jIDrewxAfpzbmaFc_GzqRA`), which holds it by chance once in a few hundred
 * thousand keys.
 */
export function occursAsToken(haystack: string, needle: string): boolean {
  const glued = (c: string | undefined, edge: string): boolean => c !== undefined && ALPHANUMERIC.test(c) && ALPHANUMERIC.test(edge);
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    if (!glued(haystack[i - 1], needle[0]) && !glued(haystack[i + needle.length], needle[needle.length - 1])) {
      return true;
    }
  }
  return false;
}


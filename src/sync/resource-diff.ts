/**
 * Where a server's copy of a resource differs from what was sent: field paths only (never values), so
 * the read-back check of the engine and `kap-fhir reconcile` can say "Observation/123: valueQuantity.value"
 * without any PHI. The server's bookkeeping (id, meta.versionId, meta.lastUpdated, narrative, extra meta
 * it adds) is ignored; meta.profile and meta.tag must include what was sent.
 */
import type { Resource } from '@medplum/fhirtypes';

const IGNORED = new Set(['id', 'meta', 'text']);

function differs(sent: unknown, stored: unknown, path: string, out: string[]): void {
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored) || stored.length !== sent.length) {
      out.push(path);
      return;
    }
    sent.forEach((v, i) => differs(v, stored[i], `${path}[${i}]`, out));
    return;
  }
  if (sent !== null && typeof sent === 'object') {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) {
      out.push(path);
      return;
    }
    for (const [k, v] of Object.entries(sent)) {
      differs(v, (stored as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    }
    return;
  }
  if (typeof sent === 'number' && typeof stored === 'number' ? sent !== stored : sent !== stored) {
    out.push(path);
  }
}

/**
 * The field paths where `stored` does not hold what `sent` holds.
 * @param sent - the resource as sent (references as the server knows them: `Type/id`)
 * @param stored - the server's copy
 * @returns the differing paths (empty when the server holds everything that was sent)
 */
export function differingPaths(sent: Resource, stored: Resource): string[] {
  const out: string[] = [];
  if (sent.resourceType !== stored.resourceType) {
    return ['resourceType'];
  }
  for (const [k, v] of Object.entries(sent)) {
    if (!IGNORED.has(k)) {
      differs(v, (stored as unknown as Record<string, unknown>)[k], k, out);
    }
  }
  const has = (list: { system?: string; code?: string }[] | undefined, x: { system?: string; code?: string }): boolean =>
    (list ?? []).some((y) => y.system === x.system && y.code === x.code);
  for (const p of sent.meta?.profile ?? []) {
    if (!(stored.meta?.profile ?? []).includes(p)) {
      out.push('meta.profile');
      break;
    }
  }
  for (const t of sent.meta?.tag ?? []) {
    if (!has(stored.meta?.tag, t)) {
      out.push('meta.tag');
      break;
    }
  }
  return out;
}

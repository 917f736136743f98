/**
 * Deterministic JSON for the compiled package: keys sorted (FHIR's `resourceType`, `id`, `url` first),
 * two-space indent, final newline, no timestamps. Two builds of the same sources are byte-identical.
 */

const FIRST_KEYS = ['resourceType', 'id', 'url'];

function orderKeys(a: string, b: string): number {
  const ia = FIRST_KEYS.indexOf(a);
  const ib = FIRST_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) {
    return (ia === -1 ? FIRST_KEYS.length : ia) - (ib === -1 ? FIRST_KEYS.length : ib);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Returns a deep copy of `value` whose object keys are in a stable order (arrays keep their order).
 * @param value - any JSON value
 * @returns the same value with ordered keys
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeysDeep);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(orderKeys)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) {
        out[key] = sortKeysDeep(v);
      }
    }
    return out;
  }
  return value;
}

/**
 * Serialises a resource for the package folder.
 * @param value - a FHIR resource or package manifest
 * @returns stable JSON text ending in a newline
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/**
 * Canonical JSON: object keys sorted (recursively), so the same JSON with its keys in another order
 * gives the same text — and the same hash. Used for the episode content hash (same version, same
 * content) and the Idempotency-Key body comparison.
 */
import { createHash } from 'node:crypto';

/**
 * The value with every object's keys sorted (arrays keep their order).
 * @param value - a JSON value
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonicalize);
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonicalize(o[k])])
    );
  }
  return value;
}

/**
 * The canonical JSON text of a value.
 * @param value - a JSON value
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'null';
}

/**
 * SHA-256 (hex) of the canonical JSON text of a value.
 * @param value - a JSON value
 */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The content hash the sync engine compares to skip re-sending what a target already has: a delivered
 * payload (the `delivered:` record) and a resource as written (the written cache, src/sync/write-keys.ts).
 */
import { createHash } from 'node:crypto';

/**
 * Stable hash of a value's JSON (object keys in the order they were written): same content, same hash.
 * @param value - a payload or a resource
 * @returns 22 base64url characters of its SHA-256
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

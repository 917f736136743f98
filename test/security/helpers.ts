/**
 * Helpers of the security tests (test/security/): the example episodes as a starting point, and the
 * checks that a refusal left no partial write (nothing kept in the episode store, nothing enqueued).
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { Redis } from 'ioredis';
import { exampleEpisodes, type ApiHarness } from '../integration/api-harness.js';
import { TEST_REDIS } from '../integration/helpers/redis.js';

/** A deep copy of the example episode `file` (e.g. `iv-ketamine-trd.json`) with another id. */
export function example(file: string, id: string): Record<string, unknown> {
  const found = exampleEpisodes().find(([name]) => name === file);
  if (!found) {
    throw new Error(`no example ${file}`);
  }
  return { ...(JSON.parse(JSON.stringify(found[1])) as Record<string, unknown>), id };
}

/** True when the episode store holds a version of this episode for the clinic. */
export async function isStored(h: ApiHarness, clinicId: string, episodeId: string): Promise<boolean> {
  const redis = new Redis(TEST_REDIS);
  try {
    return (await redis.exists(`${h.prefix}:api:episode:${clinicId}:${episodeId}`)) === 1;
  } finally {
    redis.disconnect();
  }
}

/** The `expression`s of every error issue of an outcome. */
export function errorExpressions(o: OperationOutcome): string[] {
  return (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').flatMap((i) => i.expression ?? []);
}

/**
 * POSTs a raw JSON text (so that it may hold duplicate keys or escapes `JSON.stringify` would not
 * write) as the clinic `as`.
 */
export function postText(
  h: ApiHarness,
  path: string,
  text: string,
  as: 'a' | 'b' = 'a',
  contentType = 'application/json'
): Promise<Response> {
  return h.call(path, { method: 'POST', as, body: text, headers: { 'content-type': contentType } });
}

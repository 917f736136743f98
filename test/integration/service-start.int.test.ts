/**
 * Issue 12: the first `/ready` sent while `npm start` was starting hung for more than four minutes (the
 * port was open before the app was mounted, and Node's server holds a request nobody listens for). The
 * start-up is held here at a known point — the sync engine's factory waits for the test — so requests
 * are sent while the service is starting for certain: each gets an answer (503 with an OperationOutcome
 * and Retry-After), and `/ready` answers 200 once started. Behaviour only: no timing is asserted.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { hashApiKey } from '../../src/api/auth.js';
import { startService, type RunningService, type SyncFactory } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { testServiceConfig } from './api-harness.js';
import { cleanupPrefix, testPrefix } from './helpers/redis.js';

/** A promise with its resolve function. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const prefix = testPrefix();
let service: RunningService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
  await cleanupPrefix(prefix);
});

describe('a request sent while the service starts', () => {
  test('gets 503 + Retry-After + OperationOutcome until the service is up, then /ready answers 200', async () => {
    const config = testServiceConfig(prefix, {
      clinics: [{ id: 'clinic-a', apiKeySha256: [hashApiKey('start-key')], targets: [] }],
      sandbox: false,
    });
    const listening = deferred<string>();
    const syncRequested = deferred<void>();
    const release = deferred<void>();
    const gatedSync: SyncFactory = async (options) => {
      syncRequested.resolve();
      await release.promise; // start-up stays here until the test has sent its requests
      return createServiceSyncEngine(options);
    };
    const starting = startService({
      config,
      api: true,
      workers: false,
      createSync: gatedSync,
      env: {},
      onListening: (url) => listening.resolve(url),
    });
    starting.then((s) => (service = s), () => undefined);
    const url = await listening.promise;

    const early = await fetch(`${url}/ready`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(early.headers.get('content-type')).toContain('application/fhir+json');
    const body = (await early.json()) as OperationOutcome;
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue?.[0]).toMatchObject({ severity: 'error', code: 'transient' });

    await syncRequested.promise; // Redis connected, package read: still starting
    const [ready, post] = await Promise.all([
      fetch(`${url}/ready`),
      fetch(`${url}/v1/episodes`, {
        method: 'POST',
        headers: { authorization: 'Bearer start-key', 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'ep-1' }),
      }),
    ]);
    expect([ready.status, post.status]).toEqual([503, 503]);
    await Promise.all([ready.arrayBuffer(), post.arrayBuffer()]);

    release.resolve();
    service = await starting;
    expect(service.url).toBe(url);
    const later = await fetch(`${url}/ready`);
    expect(later.status).toBe(200);
    expect(((await later.json()) as { status: string }).status).toBe('ready');
  });

  test('a failed start closes the port it opened', async () => {
    const config = testServiceConfig(prefix, {
      clinics: [{ id: 'clinic-a', apiKeySha256: [hashApiKey('start-key')], targets: [] }],
      sandbox: false,
    });
    const listening = deferred<string>();
    const failingSync: SyncFactory = () => {
      throw new Error('sync engine refused to start');
    };
    const starting = startService({ config, api: true, workers: false, createSync: failingSync, env: {}, onListening: (u) => listening.resolve(u) });
    await expect(starting).rejects.toThrow('sync engine refused to start');
    const url = await listening.promise;
    await expect(fetch(`${url}/ready`)).rejects.toThrow();
  });
});

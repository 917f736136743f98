/**
 * Strict mode's options: `strict: true` / options with each behaviour switchable, `SANDBOX_STRICT` for
 * `npm run sandbox` (parsed, and the real entry point started with it).
 */
import { describe, expect, test } from '@jest/globals';
import { resolveStrict, strictFromEnv } from '../../src/sandbox/strict.js';
import { exitOf, killChild, spawnNode, waitForOutput } from '../helpers/cli.js';
import { CHILD_START_TIMEOUT_MS } from '../helpers/timeouts.js';
import { http, issueText } from './http.js';

describe('strict options', () => {
  test('true = every behaviour with its default; an omitted one is on; false turns one off', () => {
    const all = { searchParameters: 'r4', serverIds: true, preferMinimal: true, transactions: 'batch', quota: { pointsPerMinute: 50_000 } };
    expect(resolveStrict(true)).toEqual(all);
    expect(resolveStrict({})).toEqual(all);
    expect(resolveStrict(false)).toBeUndefined();
    expect(resolveStrict(undefined)).toBeUndefined();
    expect(resolveStrict({ quota: false, transactions: 'atomic', searchParameters: 'medplum', preferMinimal: false })).toEqual({
      ...all, quota: false, transactions: 'atomic', searchParameters: 'medplum', preferMinimal: false,
    });
    expect(resolveStrict({ quota: 3000 })?.quota).toEqual({ pointsPerMinute: 3000 });
  });

  test('SANDBOX_STRICT', () => {
    const off = { searchParameters: false, serverIds: false, preferMinimal: false, transactions: false, quota: false };
    expect(['', 'false', '0', undefined].map(strictFromEnv)).toEqual([false, false, false, false]);
    expect(['true', '1', 'all', 'ALL'].map(strictFromEnv)).toEqual([true, true, true, true]);
    expect(strictFromEnv('all,transactions=atomic,quota=3000,-prefer-minimal')).toEqual({ transactions: 'atomic', quota: 3000, preferMinimal: false });
    expect(strictFromEnv('search-parameters=medplum,server-ids')).toEqual({ ...off, searchParameters: 'medplum', serverIds: true });
    expect(strictFromEnv('transactions,quota')).toEqual({ ...off, transactions: 'batch', quota: 50_000 });
    expect(() => strictFromEnv('all,nonsense')).toThrow(/unknown behaviour "nonsense"/);
    expect(() => strictFromEnv('transactions=sometimes')).toThrow(/invalid value/);
    expect(() => strictFromEnv('quota=lots')).toThrow(/invalid value/);
  });

  test('npm run sandbox with SANDBOX_STRICT (the real entry point, compiled: dist/src/sandbox/main.js)', async () => {
    const child = spawnNode(['dist/src/sandbox/main.js'], { SANDBOX_PORT: '0', SANDBOX_STRICT: 'all,transactions=atomic,quota=1000' });
    try {
      const baseUrl = (await waitForOutput(child, /sandbox EHR: (http:\/\/\S+)/))[1] as string;
      const call = http(baseUrl);
      const r = await call('GET', '/AdverseEvent?identifier=a|b');
      expect([r.status, issueText(r.body)]).toEqual([400, 'Unknown search parameter: identifier']);
      expect(r.headers.get('ratelimit')).toBe('"fhirInteractions";r=980;t=60');
      const admin = (await (await fetch(`${baseUrl}/_admin/strict`)).json()) as { strict: { transactions: string } };
      expect(admin.strict.transactions).toBe('atomic');
    } finally {
      await killChild(child);
    }
  }, CHILD_START_TIMEOUT_MS + 30_000);

  test('an invalid SANDBOX_STRICT stops npm run sandbox with exit code 2', async () => {
    const child = spawnNode(['dist/src/sandbox/main.js'], { SANDBOX_PORT: '0', SANDBOX_STRICT: 'everything' });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const { code } = await exitOf(child);
    expect(code).toBe(2);
    expect(err).toMatch(/SANDBOX_STRICT: unknown behaviour "everything"/);
  }, CHILD_START_TIMEOUT_MS);
});

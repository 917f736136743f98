/**
 * Log scan: the whole service (`kap-fhir start` as a real child process — the compiled binary,
 * bin/kap-fhir.js → dist/ — on embedded defaults: demo clinic, sandbox EHR mounted, workers
 * in-process) at LOG_LEVEL=debug, fed every example episode
 * (valid and invalid) and a questionnaire result; stdout and stderr are captured and must not
 * hold any patient name, birth date, contact or identifier value from the inputs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { exitOf, killChild, spawnNode, waitForOutput } from '../helpers/cli.js';
import { CHILD_START_TIMEOUT_MS, SETTLE_TIMEOUT_MS } from '../helpers/timeouts.js';
import { exampleEpisodes, invalidExamples } from './api-harness.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from './helpers/redis.js';
import { until } from './helpers/sandbox.js';
import { occursAsToken, phiOf } from '../helpers/phi.js';

const prefix = testPrefix();
const apiKey = `demo-${randomBytes(8).toString('hex')}`;
let child: ChildProcess;
let output = '';
let url = '';

beforeAll(async () => {
  child = spawnNode(['--no-warnings', 'bin/kap-fhir.js', 'start'], {
    LOG_LEVEL: 'debug',
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`,
    REDIS_PREFIX: prefix,
    KAP_DEMO_API_KEY: apiKey,
    KAP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NODE_ENV: 'development',
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  // The banner's first line, printed once the service listens and its workers run.
  url = (await waitForOutput(child, /kap-fhir is up at (http:\/\/\S+)/))[1] as string;
}, CHILD_START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await killChild(child);
  await cleanupPrefix(prefix);
});

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('log scan at LOG_LEVEL=debug', () => {
  test('no patient name, birth date or identifier value from the inputs reaches the logs', async () => {
    const secrets = new Set<string>();
    for (const [, episode] of exampleEpisodes()) {
      phiOf(episode).filter((s) => s.length >= 4).forEach((s) => secrets.add(s));
      const res = await post('/v1/episodes', episode);
      expect(res.status).toBe(202);
      const { jobIds } = (await res.json()) as { jobIds: string[] };
      // Wait until every job of the episode is delivered (or failed): the workers have logged.
      for (const id of jobIds) {
        let state = '';
        await until(async () => {
          const job = (await (await fetch(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { state: string };
          state = job.state;
          return state === 'completed' || state === 'failed';
        }, SETTLE_TIMEOUT_MS);
        expect({ id, state }).toEqual({ id, state: expect.stringMatching(/^(completed|failed)$/) });
      }
    }
    for (const { body } of invalidExamples()) {
      phiOf(body as Record<string, unknown>).filter((s) => s.length >= 4).forEach((s) => secrets.add(s));
      expect((await post('/v1/episodes', body)).status).toBe(422);
    }
    // Failures log too: a bad token, a body that is not JSON, an unknown route.
    await fetch(`${url}/v1/episodes`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' });
    await fetch(`${url}/v1/episodes`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{"patient":' });

    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });

    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes('"level":20'))).toBe(true); // debug lines were written
    expect(output).toContain('"msg":"episode accepted"');
    expect(secrets.size).toBeGreaterThan(10);
    const leaked = [...secrets].filter((s) => occursAsToken(output, s));
    expect(leaked).toEqual([]);
  }, 2 * SETTLE_TIMEOUT_MS);
});

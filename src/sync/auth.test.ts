import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAUTH_ERROR_SYSTEM, TokenProvider } from './auth.js';
import { rateLimitReset } from './errors.js';
import { targetAuthSchema } from './config.js';
import { DeliveryError } from './errors.js';

describe('rateLimitReset', () => {
  test.each([
    ['"requests";r=0;t=42', '42'],
    ['"requests";r=12;t=30', '30'],
    ['"requests";r=3;t=50, "fhirInteractions";r=0;t=17', '17'],
    ['"a";r=0;t=5, "b";r=0;t=9', '9'],
    ['"requests";r=0', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (header, seconds) => {
    expect(rateLimitReset(header)).toBe(seconds);
  });
});

describe('TokenProvider against a token endpoint', () => {
  let server: Server;
  let tokenUrl: string;
  /** The next answers of the endpoint (status, headers, body); a token by default. */
  const answers: { status: number; headers?: Record<string, string>; body: unknown }[] = [];
  let issued = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const next = answers.shift() ?? { status: 200, body: { access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: 3600 } };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
  });

  const provider = (): TokenProvider =>
    new TokenProvider(targetAuthSchema.parse({ type: 'client-credentials', tokenUrl, clientId: 'c', clientSecret: 's', method: 'client_secret_post' }), 5000);
  const failure = async (tokens: TokenProvider): Promise<DeliveryError> => {
    const err = await tokens.header().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  };

  test('a refused client: rejected, with the OAuth2 error code (not the description) as the outcome', async () => {
    answers.push({ status: 401, body: { error: 'invalid_client', error_description: 'client c: bad secret s' } });
    const e = await failure(provider());
    expect({ kind: e.kind, code: e.code, status: e.status }).toEqual({ kind: 'rejected', code: 'token-http-401', status: 401 });
    expect(e.outcome?.issue).toEqual([{ severity: 'error', code: 'security', details: { coding: [{ system: OAUTH_ERROR_SYSTEM, code: 'invalid_client' }] } }]);
    expect(JSON.stringify(e.outcome)).not.toContain('bad secret');
  });

  test('an error code that is not one (free text) is not kept', async () => {
    answers.push({ status: 400, body: { error: 'Client c has secret s' } });
    expect((await failure(provider())).outcome).toBeUndefined();
  });

  test('429 without Retry-After: the wait is read from the RateLimit header', async () => {
    answers.push({ status: 429, headers: { ratelimit: '"requests";r=0;t=42' }, body: { resourceType: 'OperationOutcome', issue: [] } });
    const e = await failure(provider());
    expect({ kind: e.kind, code: e.code, retryAfterMs: e.retryAfterMs }).toEqual({ kind: 'rate-limited', code: 'token-http-429', retryAfterMs: 42000 });
  });

  test('429 with Retry-After: Retry-After wins', async () => {
    answers.push({ status: 429, headers: { 'retry-after': '3', ratelimit: '"requests";r=0;t=42' }, body: {} });
    expect((await failure(provider())).retryAfterMs).toBe(3000);
  });

  test('invalidate(rejected) keeps a token that already replaced the rejected one; invalidate() always drops it', async () => {
    const tokens = provider();
    const first = (await tokens.header()) as string;
    expect(await tokens.header()).toBe(first);
    expect(tokens.fetched).toBe(1);
    tokens.invalidate(first);
    const second = (await tokens.header()) as string;
    expect(second).not.toBe(first);
    // a late 401 for the first token: the second one stays
    tokens.invalidate(first);
    expect(await tokens.header()).toBe(second);
    expect(tokens.fetched).toBe(2);
    tokens.invalidate();
    expect(await tokens.header()).not.toBe(second);
    expect(tokens.fetched).toBe(3);
  });
});

/**
 * Issue 11, target auth against a real authorization server (the Medplum server of ../shared/real-ehr):
 * OAuth2 client credentials (client_secret_post and client_secret_basic) and SMART Backend Services
 * (private_key_jwt signed RS384 and ES384, the public keys served as a JWKS by this process at a URL the
 * server fetches). Each gets a token and a FHIR write + read with it succeeds; a wrong secret or an
 * unregistered key is a non-retryable auth failure; a token is reused across requests and, once the server
 * revoked it, dropped after the 401 and replaced once. Finally a full delivery through the sync engine
 * with smart-backend ES384 auth: the Patient arrives at the server.
 *
 * The server allows 160 token requests per minute per IP: this file fetches about 20.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { RequestOptions } from 'fhir-kit-client';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { OAUTH_ERROR_SYSTEM, TokenProvider } from '../../src/sync/auth.js';
import { parseTargets, targetAuthSchema, type TargetAuth, type TargetInput } from '../../src/sync/config.js';
import { createSyncEngine, type SyncEngine } from '../../queues/sync-engine.js';
import { DeliveryError } from '../../src/sync/errors.js';
import { FhirTarget } from '../../src/sync/fhir-target.js';
import { testCodec } from '../integration/helpers/codec.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from '../integration/helpers/redis.js';
import { realEhrKit } from './global-setup.js';
import { describeRealEhr, realEhr, RUN_ID, searchAll, type RealEhr } from './real-ehr.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT_MS = 30_000;

/** A key pair: the private key as PKCS#8 PEM and as a private JWK (JSON), the public one as a JWKS entry. */
interface Keys {
  pem: string;
  privateJwk: string;
  publicJwk: Record<string, unknown>;
}

async function keys(alg: 'RS384' | 'ES384', kid: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    pem: await exportPKCS8(privateKey),
    privateJwk: JSON.stringify(await exportJWK(privateKey)),
    publicJwk: { ...(await exportJWK(publicKey)), alg, kid, use: 'sig' },
  };
}

const ehr = realEhr as RealEhr;
let jwksServer: Server;
let jwksFetches = 0;
let smartClientId: string;
let rs: Keys;
let es: Keys;
/** Registered nowhere: an assertion signed with it must be refused. */
let stray: Keys;
const RS_KID = `kap-rs-${RUN_ID}`;
const ES_KID = `kap-es-${RUN_ID}`;

function clientCredentials(method: 'client_secret_post' | 'client_secret_basic', clientSecret = ehr.clientSecret): TargetAuth {
  return targetAuthSchema.parse({ type: 'client-credentials', tokenUrl: ehr.tokenUrl, clientId: ehr.clientId, clientSecret, method });
}

function smartBackend(alg: 'RS384' | 'ES384', privateKey: string, kid?: string): TargetAuth {
  return targetAuthSchema.parse({ type: 'smart-backend', tokenUrl: ehr.tokenUrl, clientId: smartClientId, privateKey, alg, ...(kid ? { kid } : {}) });
}

/** A FhirTarget at the real server (its `call` adds the token and refreshes it once after a 401). */
function fhirTarget(auth: TargetAuth): FhirTarget {
  const [config] = parseTargets([{ id: 'real-auth', clinicId: 'clinic-auth', type: 'fhir', roles: ['ehr'], url: ehr.fhirBaseUrl, timeoutMs: TIMEOUT_MS, auth }]);
  return new FhirTarget(config);
}

/** A FHIR request with the given headers; a non-2xx answer is thrown the way fhir-kit-client throws it. */
async function fhir<T>(path: string, options: RequestOptions, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${ehr.fhirBaseUrl}/${path}`, {
    ...init,
    signal: options.signal as AbortSignal | undefined,
    headers: { ...options.headers, accept: 'application/fhir+json', 'content-type': 'application/fhir+json' },
  });
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    throw Object.assign(new Error(`HTTP ${res.status}`), { response: { status: res.status, data: body } });
  }
  return body as T;
}

/**
 * Creates a Patient with a run-unique identifier through `target.call` and reads it back by id and by identifier.
 * @returns the identifier value
 */
async function writeAndRead(target: FhirTarget, label: string): Promise<string> {
  const value = `${label}-${RUN_ID}-${randomUUID().slice(0, 8)}`;
  const created = await target.call((o) =>
    fhir<Patient>('Patient', o, { method: 'POST', body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'urn:kap-fhir:auth-test', value }] }) })
  );
  expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  const read = await target.call((o) => fhir<Patient>(`Patient/${created.id}`, o));
  expect(read.identifier).toEqual([{ system: 'urn:kap-fhir:auth-test', value }]);
  const found = await target.call((o) => fhir<Bundle<Patient>>(`Patient?identifier=${encodeURIComponent(`urn:kap-fhir:auth-test|${value}`)}`, o));
  expect((found.entry ?? []).map((e) => e.resource?.id)).toEqual([created.id]);
  return value;
}

/** What a TokenProvider's failure is, for comparison. */
async function tokenFailure(auth: TargetAuth): Promise<{ name: string; kind: string; code: string; status?: number; oauthError?: string }> {
  const err = await new TokenProvider(auth, TIMEOUT_MS).header().then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(DeliveryError);
  const e = err as DeliveryError;
  const oauthError = e.outcome?.issue?.[0]?.details?.coding?.find((c) => c.system === OAUTH_ERROR_SYSTEM)?.code;
  return { name: e.name, kind: e.kind, code: e.code, status: e.status, oauthError };
}

describeRealEhr('target auth against the real authorization server', () => {
  beforeAll(async () => {
    [rs, es, stray] = await Promise.all([keys('RS384', RS_KID), keys('ES384', ES_KID), keys('ES384', `kap-stray-${RUN_ID}`)]);
    jwksServer = createServer((req, res) => {
      jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ keys: [rs.publicJwk, es.publicJwk] }));
    });
    await new Promise<void>((ok) => jwksServer.listen(0, '127.0.0.1', ok));
    const jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    // `start` on the running server only (re)points the SMART client at this run's JWKS URL (~2 s).
    const r = spawnSync('bash', [resolve(realEhrKit(), 'start'), '--redis-db', process.env.REAL_EHR_REDIS_DB ?? '15', '--jwks-uri', jwksUri], {
      encoding: 'utf8',
      timeout: 10 * 60_000,
      env: { ...process.env, REAL_EHR_NODE: process.execPath },
    });
    if (r.status !== 0) {
      throw new Error(`[real-ehr] start --jwks-uri failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`);
    }
    const line = JSON.parse(r.stdout.trim().split('\n').pop() as string) as RealEhr;
    expect(line.tokenUrl).toBe(ehr.tokenUrl);
    expect(line.smartClientId).toMatch(/^[0-9a-f-]{36}$/);
    smartClientId = line.smartClientId as string;
  });
  afterAll(async () => {
    await new Promise((ok) => jwksServer?.close(ok));
  });

  test.each(['client_secret_post', 'client_secret_basic'] as const)('client credentials (%s): token, then a FHIR write and read', async (method) => {
    const target = fhirTarget(clientCredentials(method));
    await writeAndRead(target, method);
    expect(target.tokens.fetched).toBe(1);
  });

  test.each(['client_secret_post', 'client_secret_basic'] as const)('client credentials (%s) with a wrong secret: refused, not retried', async (method) => {
    expect(await tokenFailure(clientCredentials(method, `${ehr.clientSecret}x`))).toEqual({
      name: 'DeliveryError',
      kind: 'rejected',
      code: 'token-http-400',
      status: 400,
      oauthError: 'invalid_request',
    });
  });

  test('SMART Backend Services RS384 (PKCS#8 PEM, kid): token, then a FHIR write and read; the server fetched our JWKS', async () => {
    const before = jwksFetches;
    const target = fhirTarget(smartBackend('RS384', rs.pem, RS_KID));
    await writeAndRead(target, 'smart-rs384');
    expect(target.tokens.fetched).toBe(1);
    expect(jwksFetches).toBeGreaterThan(before);
  });

  test('SMART Backend Services ES384 (private JWK, kid): token, then a FHIR write and read', async () => {
    const target = fhirTarget(smartBackend('ES384', es.privateJwk, ES_KID));
    await writeAndRead(target, 'smart-es384');
    expect(target.tokens.fetched).toBe(1);
  });

  test('SMART Backend Services without a kid header: the server picks the key by algorithm', async () => {
    const target = fhirTarget(smartBackend('ES384', es.pem));
    await writeAndRead(target, 'smart-es384-nokid');
  });

  test('the configured scope is what the server grants: a system/*.read token reads, its write is refused (no token refresh)', async () => {
    const target = fhirTarget(targetAuthSchema.parse({ ...smartBackend('ES384', es.pem, ES_KID), scope: 'system/*.read' }));
    const found = await target.call((o) => fhir<Bundle>('Patient?_count=1', o));
    expect(found.resourceType).toBe('Bundle');
    const err = await target
      .call((o) => fhir('Patient', o, { method: 'POST', body: JSON.stringify({ resourceType: 'Patient' }) }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect({ kind: (err as DeliveryError).kind, code: (err as DeliveryError).code }).toEqual({ kind: 'rejected', code: 'http-403' });
    expect(target.tokens.fetched).toBe(1);
  });

  const REFUSED = { name: 'DeliveryError', kind: 'rejected', code: 'token-http-400', status: 400, oauthError: 'invalid_request' };
  test('an assertion signed with a key not in the JWKS: refused, not retried', async () => {
    expect(await tokenFailure(smartBackend('ES384', stray.pem, ES_KID))).toEqual(REFUSED);
    expect(await tokenFailure(smartBackend('ES384', stray.pem))).toEqual(REFUSED);
  });

  test.each([
    ['client credentials', () => clientCredentials('client_secret_post')],
    ['SMART Backend Services ES384', () => smartBackend('ES384', es.pem, ES_KID)],
  ])('%s: the token is reused; revoked at the server, it is dropped after the 401 and replaced once', async (_name, auth) => {
    const target = fhirTarget(auth());
    await writeAndRead(target, 'cache');
    await writeAndRead(target, 'cache');
    expect(target.tokens.fetched).toBe(1);
    // Revoke the cached token's login at the server (Medplum: POST /oauth2/logout with that token).
    const header = (await target.tokens.header()) as string;
    const logout = await fetch(new URL('oauth2/logout', ehr.baseUrl), { method: 'POST', headers: { authorization: header } });
    expect(logout.status).toBe(200);
    const refused = await fetch(`${ehr.fhirBaseUrl}/Patient?_count=1`, { headers: { authorization: header } });
    expect(refused.status).toBe(401);
    await writeAndRead(target, 'refresh');
    expect(target.tokens.fetched).toBe(2);
    expect(await target.tokens.header()).not.toBe(header);
  });

  test('a 401 answering a token that was already replaced keeps the new token (invalidate with the rejected header)', async () => {
    const tokens = new TokenProvider(clientCredentials('client_secret_post'), TIMEOUT_MS);
    const old = (await tokens.header()) as string;
    const logout = await fetch(new URL('oauth2/logout', ehr.baseUrl), { method: 'POST', headers: { authorization: old } });
    expect(logout.status).toBe(200);
    // Two requests were in flight with the old token; both get a 401, one after the other.
    const answers: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${ehr.fhirBaseUrl}/Patient?_count=1`, { headers: { authorization: old } });
      answers.push(res.status);
      await res.body?.cancel();
      tokens.invalidate(old);
      const fresh = (await tokens.header()) as string;
      const retried = await fetch(`${ehr.fhirBaseUrl}/Patient?_count=1`, { headers: { authorization: fresh } });
      answers.push(retried.status);
      await retried.body?.cancel();
    }
    expect(answers).toEqual([401, 200, 401, 200]);
    expect(tokens.fetched).toBe(2);
  });

  test('a 401 that a new token does not cure is not retried a second time', async () => {
    const target = fhirTarget(clientCredentials('client_secret_post'));
    let calls = 0;
    const err = await target
      .call((o) => {
        calls++;
        return fhir('Patient?_count=1', { ...o, headers: { ...o.headers, authorization: 'Bearer not-a-token' } });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect({ kind: (err as DeliveryError).kind, code: (err as DeliveryError).code, calls }).toEqual({ kind: 'rejected', code: 'http-401', calls: 2 });
  });

  describeRealEhr('a full delivery through the sync engine with smart-backend ES384 auth', () => {
    let engine: SyncEngine;
    let prefix: string;
    const clinicId = `clinic-auth-${RUN_ID}`;

    beforeAll(async () => {
      prefix = testPrefix();
      const target: TargetInput = {
        id: 'real-smart',
        clinicId,
        type: 'fhir',
        roles: ['ehr'],
        url: ehr.fhirBaseUrl,
        timeoutMs: TIMEOUT_MS,
        auth: { type: 'smart-backend', tokenUrl: ehr.tokenUrl, clientId: smartClientId, privateKey: es.privateJwk, alg: 'ES384', kid: ES_KID },
      };
      engine = createSyncEngine({ redis: TEST_REDIS, prefix, codec: testCodec(), policy: { attempts: 3, backoffMs: 200 }, lockRetryMs: 50, targets: [target] });
      await engine.startWorkers();
    });
    afterAll(async () => {
      await engine?.close();
      if (prefix) {
        await cleanupPrefix(prefix);
      }
    });

    test('the episode is delivered and its Patient is at the server', async () => {
      const json = JSON.parse(readFileSync(resolve(REPO_ROOT, 'examples/sublingual-lozenge-ptsd.json'), 'utf8')) as Record<string, unknown>;
      const parsed = parseEpisode({ ...json, id: `ep-auth-${RUN_ID}`, patient: { ...(json.patient as object), id: `pt-auth-${RUN_ID}` } });
      if (!parsed.ok) {
        throw new Error('the example does not parse');
      }
      const mapped = mapClinicEpisode(parsed.episode, clinicId);
      const { bundle } = mapped;
      const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
      const id = patient.identifier?.[0] as { system: string; value: string };
      expect(id.value).toContain(RUN_ID);

      const { jobIds } = await engine.submitEpisode(mapped);
      const states = await engine.settle(jobIds, 300_000);
      const outcome = states.map((s) => ({ state: s.state, status: s.result?.status, deadLetter: s.deadLetter?.code }));
      // Nothing auth is responsible for went wrong: no token failure, no 401/403 dead letter.
      expect(outcome.filter((o) => /^token-|^http-40[13]$/.test(o.deadLetter ?? ''))).toEqual([]);
      const found = await searchAll<Patient>('Patient', { identifier: `${id.system}|${id.value}` });
      expect(found.map((p) => p.identifier?.find((i) => i.system === id.system)?.value)).toEqual([id.value]);
      // The whole delivery (when it fails for reasons other than auth, the report says which).
      expect(outcome).toEqual(states.map(() => ({ state: 'completed', status: 'delivered', deadLetter: undefined })));
    });
  });
});

/**
 * Target auth against the sandbox's token endpoint over HTTP: SMART Backend Services
 * (private_key_jwt, RS384 and ES384) verified by signature, audience, expiry, iss = sub, jti;
 * expired, wrongly signed, wrong-audience or replayed assertions refused; OAuth2 client credentials
 * (client_secret_basic and _post); tokens cached and refreshed after a 401.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exportJWK, exportPKCS8, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { syntheticSubmission } from './helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';
import type { TargetInput } from '../../src/sync/config.js';
import { TARGET_TIMEOUT_MS } from '../helpers/timeouts.js';

async function keyPair(alg: 'RS384' | 'ES384'): Promise<{ privateKey: CryptoKey; pem: string; privJwk: string; jwk: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    privateKey,
    pem: await exportPKCS8(privateKey),
    privJwk: JSON.stringify(await exportJWK(privateKey)),
    jwk: { ...(await exportJWK(publicKey)), alg, kid: `${alg}-1`, use: 'sig' },
  };
}

describe('target auth', () => {
  let h: SyncHarness;
  let tokenUrl: string;
  let rs: Awaited<ReturnType<typeof keyPair>>;
  let es: Awaited<ReturnType<typeof keyPair>>;
  let other: Awaited<ReturnType<typeof keyPair>>;
  let n = 0;

  beforeAll(async () => {
    [rs, es, other] = await Promise.all([keyPair('RS384'), keyPair('ES384'), keyPair('RS384')]);
    h = await startSyncHarness({
      extraTargets: (sb) => {
        tokenUrl = `${sb.baseUrl}/_auth/token`;
        const fhir = { type: 'fhir' as const, roles: ['ehr' as const], url: sb.baseUrl, timeoutMs: TARGET_TIMEOUT_MS };
        return [
          { ...fhir, id: 'smart-rs', clinicId: 'clinic-rs', auth: { type: 'smart-backend', tokenUrl, clientId: 'kap-rs', privateKey: rs.pem, alg: 'RS384', kid: 'RS384-1' } },
          { ...fhir, id: 'smart-es', clinicId: 'clinic-es', auth: { type: 'smart-backend', tokenUrl, clientId: 'kap-es', privateKey: es.privJwk, alg: 'ES384', kid: 'ES384-1' } },
          { ...fhir, id: 'smart-bad', clinicId: 'clinic-bad', auth: { type: 'smart-backend', tokenUrl, clientId: 'kap-rs', privateKey: other.pem, alg: 'RS384' } },
          { ...fhir, id: 'cc-basic', clinicId: 'clinic-basic', auth: { type: 'client-credentials', tokenUrl, clientId: 'kap-basic', clientSecret: 's3cret:basic', method: 'client_secret_basic' } },
          { ...fhir, id: 'cc-post', clinicId: 'clinic-post', auth: { type: 'client-credentials', tokenUrl, clientId: 'kap-post', clientSecret: 's3cret-post', method: 'client_secret_post' } },
        ] as TargetInput[];
      },
    });
    const { controls } = h.sandbox;
    controls.tokens.register({ clientId: 'kap-rs', jwks: { keys: [rs.jwk as never] } });
    controls.tokens.register({ clientId: 'kap-es', jwks: { keys: [es.jwk as never] } });
    controls.tokens.register({ clientId: 'kap-basic', secret: 's3cret:basic' });
    controls.tokens.register({ clientId: 'kap-post', secret: 's3cret-post' });
    controls.setRequireAuth(true);
  });
  afterAll(async () => {
    await h.close();
  });

  const deliver = async (clinicId: string): Promise<{ state: string; code?: string }> => {
    n++;
    const { jobIds } = await h.engine.submitEpisode(syntheticSubmission({ clinicId, episodeId: `ep-a${n}` }));
    const [s] = await h.engine.settle(jobIds);
    return { state: s.result?.status ?? s.state, code: s.deadLetter?.code };
  };

  test('unauthenticated requests are refused by the sandbox', async () => {
    expect(await deliver(h.clinicId)).toEqual({ state: 'failed', code: 'http-401' });
  });

  test('SMART Backend Services RS384: token obtained once, cached, refreshed after a 401', async () => {
    const issued = h.sandbox.controls.tokens.issued;
    expect(await deliver('clinic-rs')).toEqual({ state: 'delivered', code: undefined });
    expect(await deliver('clinic-rs')).toEqual({ state: 'delivered', code: undefined });
    expect(h.sandbox.controls.tokens.issued - issued).toBe(1);
    h.sandbox.controls.tokens.revokeAll();
    expect(await deliver('clinic-rs')).toEqual({ state: 'delivered', code: undefined });
    expect(h.sandbox.controls.tokens.issued - issued).toBe(2);
  });

  test('SMART Backend Services ES384 (private key given as a JWK)', async () => {
    expect(await deliver('clinic-es')).toEqual({ state: 'delivered', code: undefined });
  });

  test('an assertion signed with a key the client did not register: refused, dead letter', async () => {
    const before = h.sandbox.controls.tokens.refusals.length;
    expect(await deliver('clinic-bad')).toEqual({ state: 'failed', code: 'token-http-401' });
    expect(h.sandbox.controls.tokens.refusals.slice(before)).toEqual(['ERR_JWS_SIGNATURE_VERIFICATION_FAILED']);
  });

  test('OAuth2 client credentials, client_secret_basic and client_secret_post', async () => {
    expect(await deliver('clinic-basic')).toEqual({ state: 'delivered', code: undefined });
    expect(await deliver('clinic-post')).toEqual({ state: 'delivered', code: undefined });
  });

  describe('the token endpoint checks the assertion', () => {
    const post = async (assertion: string): Promise<{ status: number; reason?: string }> => {
      const res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'system/*.write',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
      const body = (await res.json()) as { error_description?: string };
      return { status: res.status, reason: res.status === 200 ? undefined : body.error_description };
    };
    const sign = (o: { key?: CryptoKey; alg?: 'RS384' | 'ES384'; iss?: string; sub?: string; aud?: string; exp?: number; jti?: string }): Promise<string> => {
      const now = Math.floor(Date.now() / 1000);
      let jwt = new SignJWT({})
        .setProtectedHeader({ alg: o.alg ?? 'RS384', typ: 'JWT' })
        .setIssuer(o.iss ?? 'kap-rs')
        .setSubject(o.sub ?? 'kap-rs')
        .setAudience(o.aud ?? tokenUrl)
        .setExpirationTime(o.exp ?? now + 240);
      if (o.jti !== '') {
        jwt = jwt.setJti(o.jti ?? randomUUID());
      }
      return jwt.sign(o.key ?? rs.privateKey);
    };

    test('a valid RS384 and a valid ES384 assertion get a token', async () => {
      expect(await post(await sign({}))).toEqual({ status: 200, reason: undefined });
      expect(await post(await sign({ key: es.privateKey, alg: 'ES384', iss: 'kap-es', sub: 'kap-es' }))).toEqual({ status: 200, reason: undefined });
    });
    test('expired', async () => {
      expect(await post(await sign({ exp: Math.floor(Date.now() / 1000) - 60 }))).toEqual({ status: 401, reason: 'ERR_JWT_EXPIRED' });
    });
    test('wrongly signed', async () => {
      expect(await post(await sign({ key: other.privateKey }))).toEqual({ status: 401, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    });
    test('wrong audience, sub ≠ iss, lifetime over 5 minutes, no jti, replayed jti', async () => {
      expect(await post(await sign({ aud: 'https://elsewhere.example/token' }))).toEqual({ status: 401, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
      expect(await post(await sign({ sub: 'someone-else' }))).toEqual({ status: 401, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
      expect(await post(await sign({ exp: Math.floor(Date.now() / 1000) + 3600 }))).toEqual({ status: 401, reason: 'assertion-lifetime-too-long' });
      expect(await post(await sign({ jti: '' }))).toEqual({ status: 401, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
      const once = await sign({ jti: 'same-jti' });
      expect((await post(once)).status).toBe(200);
      expect(await post(once)).toEqual({ status: 401, reason: 'assertion-replayed' });
    });
  });
});

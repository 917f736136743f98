/**
 * Security review (issue 10), JWT: real tokens signed with a key of a local JWKS file, against the
 * real service (startApiHarness: real Redis, real HTTP). A token must carry `exp`, live no longer
 * than `jwt.maxLifetimeSeconds`, and a `clinic_id` claim must name a configured clinic.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { exampleEpisodes, startApiHarness, type ApiHarness } from '../integration/api-harness.js';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'kap-fhir';

let h: ApiHarness;
let dir: string;
let privateKey: CryptoKey;

/** Claims and registered claims of a test token (`undefined` leaves a claim out). */
interface TokenSpec {
  claims?: Record<string, unknown>;
  /** Seconds since the epoch. */
  iat?: number;
  exp?: number;
}

const now = (): number => Math.floor(Date.now() / 1000);

async function token(spec: TokenSpec): Promise<string> {
  const jwt = new SignJWT(spec.claims ?? {}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE);
  if (spec.iat !== undefined) {
    jwt.setIssuedAt(spec.iat);
  }
  if (spec.exp !== undefined) {
    jwt.setExpirationTime(spec.exp);
  }
  return jwt.sign(privateKey);
}

async function statusWith(jwt: string, path = '/v1/dead-letters', init: RequestInit = {}): Promise<number> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${jwt}`);
  const res = await fetch(`${h.url}${path}`, { ...init, headers });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  dir = mkdtempSync(join(tmpdir(), 'kap-sec-jwks-'));
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] }));
  h = await startApiHarness({
    jwt: { jwksFile, issuer: ISSUER, audience: AUDIENCE, clinicClaim: 'clinic_id', rolesClaim: 'roles', maxLifetimeSeconds: 3600 },
  });
});

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('JWT lifetime', () => {
  test('a well-formed short-lived token is accepted (with and without iat)', async () => {
    const t = now();
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t, exp: t + 600 }))).toBe(200);
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, exp: t + 600 }))).toBe(200);
  });

  test('a token without exp is refused (it would be valid for ever)', async () => {
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: now() }))).toBe(401);
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' } }))).toBe(401);
    expect(await statusWith(await token({ claims: { roles: ['admin'] } }), '/metrics')).toBe(401);
  });

  test('a token living longer than jwt.maxLifetimeSeconds is refused: exp − iat, or exp − now without iat', async () => {
    const t = now();
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t, exp: t + 3600 * 24 * 365 }))).toBe(401);
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t - 60, exp: t + 3600 }))).toBe(401);
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, exp: t + 7200 }))).toBe(401);
    // iat in the future does not stretch the window.
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t + 86400, exp: t + 86400 + 600 }))).toBe(401);
    // Exactly the maximum is allowed.
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t, exp: t + 3600 }))).toBe(200);
  });

  test('a small clock tolerance: just expired (5 s) still passes, 5 min expired does not', async () => {
    const t = now();
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t - 600, exp: t - 5 }))).toBe(200);
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-a' }, iat: t - 900, exp: t - 300 }))).toBe(401);
  });
});

describe('JWT clinic claim', () => {
  test('a clinic_id that names no configured clinic → 401, and nothing is accepted for it', async () => {
    const t = now();
    const stranger = await token({ claims: { clinic_id: 'clinic-z' }, iat: t, exp: t + 600 });
    expect(await statusWith(stranger)).toBe(401);
    const [, episode] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const posted = await statusWith(stranger, '/v1/episodes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...episode, id: 'ep-jwt-stranger', version: 1 }),
    });
    expect(posted).toBe(401);
    // An admin role does not excuse an unknown clinic either.
    const adminStranger = await token({ claims: { clinic_id: 'clinic-z', roles: ['admin'] }, iat: t, exp: t + 600 });
    expect(await statusWith(adminStranger, '/metrics')).toBe(401);
    // A clinic claim that is not a string is not "no clinic".
    const odd = await token({ claims: { clinic_id: 42, roles: ['admin'] }, iat: t, exp: t + 600 });
    expect(await statusWith(odd, '/metrics')).toBe(401);
  });

  test('configured clinics and an admin without a clinic still work', async () => {
    const t = now();
    expect(await statusWith(await token({ claims: { clinic_id: 'clinic-b' }, iat: t, exp: t + 600 }))).toBe(200);
    expect(await statusWith(await token({ claims: { roles: ['admin'] }, iat: t, exp: t + 600 }), '/metrics')).toBe(200);
  });
});

/**
 * Security review (issue 10), JWT configuration: issuer and audience are required whenever JWT is
 * configured (file or environment); the service refuses to start otherwise, naming the setting.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator } from '../../src/api/auth.js';
import { ConfigError, loadConfig } from '../../src/config/service-config.js';

let dir: string;
let jwksFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kap-sec-jwtcfg-'));
  jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [] }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configFile(content: unknown): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('jwt.issuer and jwt.audience are required', () => {
  test('from the environment: KAP_JWKS_FILE without KAP_JWT_ISSUER / KAP_JWT_AUDIENCE', () => {
    const message = configError(() => loadConfig({ KAP_JWKS_FILE: jwksFile }, undefined));
    expect(message).toMatch(/jwt\.issuer.*KAP_JWT_ISSUER/);
    expect(message).toMatch(/jwt\.audience.*KAP_JWT_AUDIENCE/);
    const noAudience = configError(() => loadConfig({ KAP_JWKS_FILE: jwksFile, KAP_JWT_ISSUER: 'https://idp.example' }, undefined));
    expect(noAudience).toMatch(/jwt\.audience/);
    expect(noAudience).not.toMatch(/jwt\.issuer/);
  });

  test('from the config file: jwt without issuer or audience', () => {
    const file = configFile({ jwt: { jwksFile } });
    const message = configError(() => loadConfig({}, file));
    expect(message).toMatch(/jwt\.issuer/);
    expect(message).toMatch(/jwt\.audience/);
    expect(configError(() => loadConfig({}, configFile({ jwt: { jwksFile, issuer: '', audience: 'kap' } })))).toMatch(/jwt\.issuer/);
  });

  test('the environment completes a file: KAP_JWT_ISSUER / KAP_JWT_AUDIENCE apply to a jwt from the file', () => {
    const file = configFile({ jwt: { jwksFile } });
    const config = loadConfig({ KAP_JWT_ISSUER: 'https://idp.example', KAP_JWT_AUDIENCE: 'kap-fhir' }, file);
    expect(config.jwt?.issuer).toBe('https://idp.example');
    expect(config.jwt?.audience).toBe('kap-fhir');
  });

  test('complete settings load, with the lifetime settings', () => {
    const config = loadConfig(
      { KAP_JWKS_FILE: jwksFile, KAP_JWT_ISSUER: 'https://idp.example', KAP_JWT_AUDIENCE: 'kap-fhir', KAP_JWT_MAX_LIFETIME_SECONDS: '900' },
      undefined
    );
    expect(config.jwt).toMatchObject({ jwksFile, issuer: 'https://idp.example', audience: 'kap-fhir', maxLifetimeSeconds: 900 });
  });

  test('a programmatic configuration without issuer/audience is refused by the authenticator too', () => {
    const message = configError(() =>
      createAuthenticator({ clinics: [], adminApiKeySha256: [], jwt: { jwksFile, clinicClaim: 'clinic_id', rolesClaim: 'roles' } })
    );
    expect(message).toMatch(/jwt\.issuer/);
  });
});

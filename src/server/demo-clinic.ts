/**
 * The embedded defaults (refused with NODE_ENV=production): one demo clinic whose API key is
 * taken from `KAP_DEMO_API_KEY` or made up and printed, an operator key (`KAP_ADMIN_API_KEY` or
 * made up), the sandbox EHR on this server as the demo clinic's EHR and prescriber endpoint, and
 * an encryption key kept in `.data/` so a restart can still read the kept episodes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey } from '../api/auth.js';
import type { ClinicConfig, ServiceConfig } from '../config/service-config.js';
import { dataDir } from './project-root.js';

/** The demo clinic's credentials (printed at start). */
export interface DemoCredentials {
  clinicId: string;
  apiKey: string;
  adminKey: string;
}

/** A fresh random API key. */
export function newApiKey(kind: 'demo' | 'admin'): string {
  return `kap_${kind}_${randomBytes(24).toString('base64url')}`;
}

/**
 * The demo clinic's delivery targets: the sandbox EHR as EHR and prescriber endpoint.
 * @param url - the sandbox's FHIR base, e.g. `http://127.0.0.1:8080/sandbox/fhir`
 * @param clinicId - the demo clinic
 */
export function sandboxTargets(url: string, clinicId: string): Record<string, unknown>[] {
  return [
    // One conditional update per resource: the sandbox (Medplum's router) caps the updates in one transaction.
    { id: 'sandbox-ehr', clinicId, type: 'fhir', roles: ['ehr'], url, transaction: 'never' },
    { id: 'sandbox-prescriber', clinicId, type: 'fhir', roles: ['prescriber', 'alerts'], url, transaction: 'never' },
  ];
}

/**
 * The embedded demo clinic's id: `KAP_DEMO_CLINIC_ID`, else `demo-clinic`.
 * @param env - the environment
 */
export function demoClinicId(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAP_DEMO_CLINIC_ID || 'demo-clinic';
}

/**
 * Adds the demo clinic and the admin key to a configuration without clinics (outside production).
 * @returns the configuration to use and the credentials to print (undefined when clinics are configured)
 */
export function withDemoClinic(
  config: ServiceConfig,
  env: NodeJS.ProcessEnv = process.env
): { config: ServiceConfig; demo?: DemoCredentials } {
  const adminFromEnv = env.KAP_ADMIN_API_KEY;
  let next: ServiceConfig = adminFromEnv
    ? { ...config, adminApiKeySha256: [...config.adminApiKeySha256, hashApiKey(adminFromEnv)] }
    : config;
  if (config.production || config.clinics.length > 0) {
    return { config: next };
  }
  const clinicId = demoClinicId(env);
  const apiKey = env.KAP_DEMO_API_KEY || newApiKey('demo');
  const adminKey = adminFromEnv || newApiKey('admin');
  const clinic: ClinicConfig = { id: clinicId, apiKeySha256: [hashApiKey(apiKey)], targets: [] };
  next = {
    ...next,
    clinics: [clinic],
    adminApiKeySha256: adminFromEnv ? next.adminApiKeySha256 : [...next.adminApiKeySha256, hashApiKey(adminKey)],
    sandbox: next.sandbox ?? !env.KAP_SANDBOX_URL,
  };
  return { config: next, demo: { clinicId, apiKey, adminKey } };
}

/**
 * The development AES key for data at rest (used outside production when no key is configured, see
 * encryption-keys.ts): kept in `.data/encryption-key` (created on first start, mode 0600), so every
 * process of the install shares it and a restart still opens what was kept.
 */
export function developmentEncryptionKey(dir = dataDir()): string {
  const file = join(dir, 'encryption-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    const key = randomBytes(32).toString('base64');
    try {
      // `wx`: two processes starting at once (`serve` + `worker`) must not each write a key of their own.
      writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        return readFileSync(file, 'utf8').trim();
      }
      throw err;
    }
    return key;
  }
}

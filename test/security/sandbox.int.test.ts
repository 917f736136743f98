/**
 * Security review (issue 10), the development sandbox EHR: it answers only loopback clients (the
 * standalone server refuses to listen elsewhere without SANDBOX_ALLOW_REMOTE=true), sits behind the
 * API's body-size and JSON depth/array limits, and keeps a bounded request log. Real HTTP servers; the
 * client that is not on loopback comes through a Unix socket (a real connection with no loopback address:
 * tests send traffic to loopback addresses only).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxFactory } from '../../src/server/run.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { testServiceConfig } from '../integration/api-harness.js';
import { cleanupPrefix, testPrefix } from '../integration/helpers/redis.js';
import { exitOf, killChild, spawnNode, waitForOutput } from '../helpers/cli.js';
import { CHILD_START_TIMEOUT_MS } from '../helpers/timeouts.js';
import { createSandbox, startSandbox } from '../integration/helpers/sandbox.js';

/** A request over a Unix socket (its server sees no loopback address); answers status and parsed body. */
function overUnixSocket(socketPath: string, method: string, path: string, body?: string): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body ? { 'content-type': 'application/fhir+json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => {
        const parsed = text ? (JSON.parse(text) as OperationOutcome) : undefined;
        resolve({ status: res.statusCode ?? 0, code: parsed?.resourceType === 'OperationOutcome' ? parsed.issue?.[0]?.code : parsed?.resourceType });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const patient = { resourceType: 'Patient', identifier: [{ system: 'urn:test', value: 'p-sec' }], active: true };

async function outcomeStatus(res: Response): Promise<{ status: number; code?: string }> {
  const body = (await res.json()) as OperationOutcome;
  return { status: res.status, code: body.resourceType === 'OperationOutcome' ? body.issue?.[0]?.code : body.resourceType };
}

function post(url: string, body: string, type = 'application/fhir+json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
}

/** JSON nested `depth` objects deep. */
function deep(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('loopback only', () => {
  let server: Server;
  let unixServer: Server;
  let port: number;
  const socketPath = join(mkdtempSync(join(tmpdir(), 'kap-sandbox-')), 'sandbox.sock');
  const { app, controls } = createSandbox();

  beforeAll(async () => {
    // The sandbox app as the service mounts it, on a loopback port and on a Unix socket.
    const root = express();
    root.use('/fhir', app);
    server = createServer(root);
    unixServer = createServer(root);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => unixServer.close(() => resolve()));
  });

  test('a client that is not on loopback gets 403 for reads, writes and deletes; nothing is written', async () => {
    expect(await overUnixSocket(socketPath, 'GET', '/fhir/metadata')).toEqual({ status: 403, code: 'forbidden' });
    expect(await overUnixSocket(socketPath, 'POST', '/fhir/Patient', JSON.stringify(patient))).toEqual({ status: 403, code: 'forbidden' });
    expect((await overUnixSocket(socketPath, 'DELETE', '/fhir/Patient/x')).status).toBe(403);
    expect(await controls.find('Patient')).toHaveLength(0);
    expect(controls.requests).toHaveLength(0);
  });

  test('a loopback client is served', async () => {
    const res = await post(`http://127.0.0.1:${port}/fhir/Patient`, JSON.stringify(patient));
    expect(res.status).toBe(201);
    expect((await fetch(`http://127.0.0.1:${port}/fhir/metadata`)).status).toBe(200);
  });
});

describe('the sandbox mounted in the service', () => {
  let service: RunningService;
  const prefix = testPrefix();

  beforeAll(async () => {
    const config = testServiceConfig(prefix, { sandbox: true, bodyLimit: '64kb', jsonMaxDepth: 12, jsonMaxArrayLength: 50 });
    service = await startService({ config, api: true, workers: false, createSync: createServiceSyncEngine, createSandbox: sandboxFactory({}), env: {} });
  });

  afterAll(async () => {
    await service?.close();
    await cleanupPrefix(prefix);
  });

  test('has the service\'s body-size and JSON depth/array limits (413 OperationOutcome)', async () => {
    const base = `${service.url}/sandbox/fhir`;
    const big = JSON.stringify({ ...patient, text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(100_000)}</div>` } });
    expect(await outcomeStatus(await post(`${base}/Patient`, big))).toEqual({ status: 413, code: 'too-costly' });
    const nested = JSON.stringify({ ...patient, meta: JSON.parse(deep(20)) as unknown });
    expect(await outcomeStatus(await post(`${base}/Patient`, nested))).toEqual({ status: 413, code: 'too-costly' });
    const wide = { ...patient, identifier: Array.from({ length: 60 }, (_, i) => ({ system: 'urn:test', value: `v${i}` })) };
    expect(await outcomeStatus(await post(`${base}/Patient`, JSON.stringify(wide)))).toEqual({ status: 413, code: 'too-costly' });
    expect((await post(`${base}/Patient`, JSON.stringify(patient))).status).toBe(201);
  });
});

describe('the standalone sandbox', () => {
  test('refuses to listen on a non-loopback address unless allowed', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/SANDBOX_ALLOW_REMOTE/);
    const allowed = await startSandbox({ host: '0.0.0.0', allowRemote: true });
    await allowed.close();
  });

  test('`npm run sandbox` with SANDBOX_HOST=0.0.0.0 exits saying so; with SANDBOX_ALLOW_REMOTE=true it starts', async () => {
    // The compiled entry point (dist/src/sandbox/main.js, as docker compose runs it).
    const refused = spawnNode(['dist/src/sandbox/main.js'], { SANDBOX_HOST: '0.0.0.0', SANDBOX_PORT: '0' });
    let stderr = '';
    refused.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => refused.kill('SIGKILL'), CHILD_START_TIMEOUT_MS);
    const { code } = await exitOf(refused);
    clearTimeout(timer);
    expect(code).toBe(2);
    expect(stderr).toContain('SANDBOX_ALLOW_REMOTE=true');

    const allowed = spawnNode(['dist/src/sandbox/main.js'], { SANDBOX_HOST: '0.0.0.0', SANDBOX_PORT: '0', SANDBOX_ALLOW_REMOTE: 'true' });
    try {
      await waitForOutput(allowed, /sandbox EHR: http:\/\/\S+/);
    } finally {
      await killChild(allowed);
    }
  }, CHILD_START_TIMEOUT_MS * 2);

  test('default limits are the API\'s (5 MB): a 6 MB body → 413; limits can be passed in', async () => {
    const sb = await startSandbox();
    try {
      const huge = JSON.stringify({ ...patient, text: { status: 'generated', div: `<div>${'x'.repeat(6 * 1024 * 1024)}</div>` } });
      expect(await outcomeStatus(await post(`${sb.baseUrl}/Patient`, huge))).toEqual({ status: 413, code: 'too-costly' });
      expect((await post(`${sb.baseUrl}/_webhook/w`, huge, 'application/json')).status).toBe(413);
    } finally {
      await sb.close();
    }
    const small = await startSandbox({ limits: { bodyLimit: '1kb', jsonMaxDepth: 40, jsonMaxArrayLength: 10000 } });
    try {
      const body = JSON.stringify({ ...patient, active: true, gender: 'x'.repeat(2000) });
      expect(await outcomeStatus(await post(`${small.baseUrl}/Patient`, body))).toEqual({ status: 413, code: 'too-costly' });
      expect((await post(`${small.baseUrl}/Patient`, '{not json')).status).toBe(400);
    } finally {
      await small.close();
    }
  });

  test('the request log and the webhook log are bounded (oldest dropped), 1000 by default', async () => {
    const sb = await startSandbox({ requestLogLimit: 5 });
    try {
      for (let i = 0; i < 12; i++) {
        await (await fetch(`${sb.baseUrl}/metadata`)).arrayBuffer();
        await (await post(`${sb.baseUrl}/_webhook/w${i}`, '{}', 'application/json')).arrayBuffer();
      }
      expect(sb.controls.requests.map((r) => r.seq)).toEqual([8, 9, 10, 11, 12]);
      expect(sb.controls.webhooks.map((w) => w.name)).toEqual(['w7', 'w8', 'w9', 'w10', 'w11']);
    } finally {
      await sb.close();
    }
    const dflt = await startSandbox();
    try {
      for (let i = 0; i < 1010; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, 1010 - i) }, async () => (await fetch(`${dflt.baseUrl}/metadata`)).arrayBuffer()));
      }
      expect(dflt.controls.requests).toHaveLength(1000);
      expect(dflt.controls.requests.at(-1)?.seq).toBe(1010);
    } finally {
      await dflt.close();
    }
  });
});

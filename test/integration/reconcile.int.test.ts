/**
 * Reconciliation end to end: the real service (api-harness: real Redis, the sandbox EHR — switched to
 * STRICT mode, a real server's behaviour — as the clinics' EHR) delivers an example episode; at the EHR
 * one resource is deleted, one changed (an Observation value) and one duplicated. `GET /v1/reconcile`
 * (clinic and admin credentials; another clinic's target is 404) and the real `kap-fhir reconcile`
 * binary report exactly those — missing (type, index, record), duplicated (ids), different (field
 * paths) — with no identifier value or PHI, the CLI exiting 1. Once the operator removed the duplicate
 * and the record is delivered again (a new version: the written cache of the missing and different
 * resources was forgotten, so they are sent again), everything is back and a second reconcile is clean
 * (exit 0).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Identifier, Resource } from '@medplum/fhirtypes';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode, mapClinicEpisodeWithSummaries } from '../../src/pipeline/map-clinic-episode.js';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { exampleEpisodes, settleJob, startApiHarness, type ApiHarness } from './api-harness.js';
import { TEST_REDIS } from './helpers/redis.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

interface Finding {
  recordType: string;
  recordId: string;
  version: number;
  resourceType: string;
  index: number;
  ids: string[];
  paths?: string[];
}
interface Report {
  targetId: string;
  records: number;
  resources: number;
  missing: Finding[];
  duplicated: Finding[];
  different: Finding[];
  presenceOnly: number;
}

const SYSTEM = clinicIdentifierSystem('clinic-a');
const episode = structuredClone(exampleEpisodes().find(([name]) => name === 'iv-ketamine-trd.json')?.[1]) as Record<string, unknown>;
/** The Bundle the EHR receives for the episode. */
const BUNDLE = await (async () => {
  const parsed = parseEpisode(episode);
  if (!parsed.ok) {
    throw new Error('example does not parse');
  }
  return (await mapClinicEpisodeWithSummaries(parsed.episode, 'clinic-a')).bundle;
})();
/** The resources the EHR receives: every entry of the Bundle (the Provenance included). */
const RESOURCES = BUNDLE.entry?.length ?? 0;
/** The position in the Bundle of the entry whose clinic identifier value is `value`. */
const indexOf = (value: string): number =>
  (BUNDLE.entry ?? []).findIndex((e) => {
    const raw = (e.resource as { identifier?: Identifier | Identifier[] }).identifier;
    return (Array.isArray(raw) ? raw : [raw]).some((i) => i?.system === SYSTEM && i.value === value);
  });
/** Values that must never appear in a report: the patient's name, birth date and identifiers, the resources' identifier values. */
const PHI = ['Avery', 'Testperson', '1984-07-19', 'pt-0042', 'MRN-55501', 'ep-1001/', SYSTEM, '555-0100'];

let h: ApiHarness;
let dir: string;
let configFile: string;

beforeAll(async () => {
  h = await startApiHarness();
  // A real server's behaviour (R4 search parameters: AdverseEvent and Provenance keyed by _tag, server ids).
  h.sandbox.controls.setStrict({ quota: false });
  dir = mkdtempSync(join(tmpdir(), 'kap-reconcile-'));
  configFile = join(dir, 'config.json');
  // The CLI's configuration: the service's clinics and targets, its Redis prefix and encryption key.
  writeFileSync(
    configFile,
    JSON.stringify({ redisPrefix: h.prefix, encryptionKey: h.config.encryptionKey, clinics: h.config.clinics, sandbox: false })
  );
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `kap-fhir reconcile` with the service's configuration. */
function reconcileCli(args: string[]): Promise<CliRun> {
  return runCli(['reconcile', ...args, '--config', configFile], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', REDIS_URL: `redis://${TEST_REDIS.host}:${TEST_REDIS.port}` },
  });
}

async function reconcileApi(target: string, as: 'a' | 'b' | 'admin'): Promise<{ status: number; text: string; body: Report }> {
  const res = await h.call(`/v1/reconcile?target=${target}`, { as });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Report };
}

/** Submits an episode as clinic a and waits for every job. */
async function deliver(body: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const res = await h.call('/v1/episodes', { method: 'POST', json: body });
  expect(res.status).toBe(202);
  const { jobIds } = (await res.json()) as { jobIds: string[] };
  const settled = [];
  for (const id of jobIds) {
    settled.push(await settleJob(h, id));
  }
  expect(settled.map((s) => [s.id, s.state])).toEqual(settled.map((s) => [s.id, 'completed']));
  return settled;
}

const one = async <T extends Resource>(type: string, value: string): Promise<T> => {
  const found = await h.sandbox.controls.find<T>(type, `${SYSTEM}|${value}`);
  expect({ type, value, n: found.length }).toEqual({ type, value, n: 1 });
  return found[0];
};

describe('reconciliation: GET /v1/reconcile and kap-fhir reconcile', () => {
  test('reports exactly what was deleted, changed and duplicated at the EHR; after a new delivery, clean', async () => {
    const settled = await deliver(episode);
    const ehrJob = settled.find((s) => String(s.id).startsWith('ehr_a-ehr_')) as { result: { count: number } };
    expect(ehrJob.result.count).toBe(RESOURCES);

    // Nothing wrong yet.
    const clean = await reconcileApi('a-ehr', 'a');
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ targetId: 'a-ehr', records: 1, resources: RESOURCES, missing: [], duplicated: [], different: [], presenceOnly: 0 });

    // At the EHR: a questionnaire response deleted (a score Observation refers to it), a heart rate
    // changed, the diagnosis duplicated.
    const qr = await one('QuestionnaireResponse', 'ep-1001/qr-2');
    await h.sandbox.controls.repo.deleteResource('QuestionnaireResponse', qr.id as string);
    const hr = await one<Resource & { valueQuantity: { value: number } }>('Observation', 'ep-1001/s-03-v02');
    expect(hr.valueQuantity.value).toBe(72);
    await h.sandbox.controls.repo.updateResource({ ...hr, valueQuantity: { ...hr.valueQuantity, value: 131.25 } });
    const dx = await one<Resource & { identifier: Identifier[] }>('Condition', 'ep-1001/dx-1');
    const { id: _id, meta: _meta, ...copy } = dx;
    const twin = await h.sandbox.controls.repo.createResource(copy as Resource);

    const record = { recordType: 'episode', recordId: 'ep-1001', version: 4 };
    const expected = {
      targetId: 'a-ehr',
      records: 1,
      resources: RESOURCES,
      presenceOnly: 0,
      missing: [{ ...record, resourceType: 'QuestionnaireResponse', index: indexOf('ep-1001/qr-2'), ids: [`QuestionnaireResponse/${qr.id}`] }],
      duplicated: [{ ...record, resourceType: 'Condition', index: indexOf('ep-1001/dx-1'), ids: expect.arrayContaining([`Condition/${dx.id}`, `Condition/${twin.id}`]) }],
      different: [{ ...record, resourceType: 'Observation', index: indexOf('ep-1001/s-03-v02'), ids: [`Observation/${hr.id}`], paths: ['valueQuantity.value'] }],
    };
    const asClinic = await reconcileApi('a-ehr', 'a');
    expect(asClinic.status).toBe(200);
    expect(asClinic.body).toEqual(expected);
    expect(asClinic.body.duplicated[0].ids).toHaveLength(2);
    const asAdmin = await reconcileApi('a-ehr', 'admin');
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toEqual(expected);
    // Another clinic's target: not found (whoever asks for it but its clinic and an admin).
    expect((await h.call('/v1/reconcile?target=a-ehr', { as: 'b' })).status).toBe(404);
    expect((await h.call('/v1/reconcile?target=b-ehr', { as: 'a' })).status).toBe(404);
    expect((await h.call('/v1/reconcile?target=a-ehr', { as: 'none' })).status).toBe(401);

    const cli = await reconcileCli(['--target', 'a-ehr']);
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 1, stderr: '' });
    expect(JSON.parse(cli.stdout)).toEqual(expected);

    for (const text of [asClinic.text, asAdmin.text, cli.stdout, cli.stderr]) {
      // Neither the server's value nor ours (field paths only; a server id may hold any digits).
      for (const value of [...PHI, '131.25', '"value"', 'valueQuantity"']) {
        expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
      }
    }

    // The operator removes the duplicate the report names; the clinic's next version is delivered: the
    // missing and the changed resources are sent again (their written cache was forgotten).
    await h.sandbox.controls.repo.deleteResource('Condition', twin.id as string);
    const next = await deliver({ ...episode, version: Number(episode.version) + 1 });
    expect(next.find((s) => String(s.id).startsWith('ehr_a-ehr_'))).toMatchObject({ result: { status: 'delivered', count: RESOURCES } });
    // Sent again: the missing response, the changed heart rate, the score and the PHQ-9 item 9 Observation that
    // refer to the response (its new server id), and what the new version changes (the EpisodeOfCare's source
    // version, the Provenance). Nothing else.
    expect(next.find((s) => String(s.id).startsWith('ehr_a-ehr_'))).toMatchObject({ result: { sent: 6 } });
    const back = await one('QuestionnaireResponse', 'ep-1001/qr-2');
    expect(back.id).not.toBe(qr.id);
    expect((await one<Resource & { valueQuantity: { value: number } }>('Observation', 'ep-1001/s-03-v02')).valueQuantity.value).toBe(72);
    // What referred to the deleted resource refers to the new one.
    const score = await one<Resource & { derivedFrom?: { reference?: string }[] }>('Observation', 'ep-1001/qr-2');
    expect(score.derivedFrom?.map((d) => d.reference)).toEqual([`QuestionnaireResponse/${back.id}`]);

    const after = await reconcileApi('a-ehr', 'a');
    expect(after.body).toMatchObject({ records: 1, resources: RESOURCES, missing: [], duplicated: [], different: [] });
    const again = await reconcileCli(['--target', 'a-ehr']);
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(again.stdout)).toMatchObject({ targetId: 'a-ehr', missing: [], duplicated: [], different: [] });
  });

  test('the CLI: a target of no configured clinic → exit 2, usage → exit 2', async () => {
    const unknown = await reconcileCli(['--target', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    const usage = await runCli(['reconcile'], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' } });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: kap-fhir reconcile');
  });
});

describe('reconciliation of safety signals (an alerts FHIR inbox)', () => {
  let s: SyncHarness | undefined;
  afterAll(async () => {
    await s?.close();
  });

  test('a signal missing at the inbox is sent again with the next episode version; what refers to it follows its new id', async () => {
    s = await startSyncHarness({
      strict: { quota: false },
      extraTargets: (sb) => [{ id: 'inbox', clinicId: 'clinic-a', type: 'fhir', roles: ['alerts'], url: sb.baseUrl }],
    });
    const json = structuredClone(exampleEpisodes().find(([name]) => name === 'urgent-signals.json')?.[1]) as Record<string, unknown>;
    const mapped = (version: number) => {
      const parsed = parseEpisode({ ...json, version });
      if (!parsed.ok) {
        throw new Error('urgent-signals does not parse');
      }
      return mapClinicEpisode(parsed.episode, 'clinic-a');
    };
    const v1 = mapped(Number(json.version));
    const first = await s.engine.submitSignals({ ...v1, episode: v1.bundle });
    expect(first.jobIds.length).toBeGreaterThan(0);
    const done = await s.engine.settle(first.jobIds);
    expect(done.map((x) => x.result?.status)).toEqual(first.jobIds.map(() => 'delivered'));

    const issues = await s.sandbox.controls.find('DetectedIssue');
    expect(issues.length).toBeGreaterThan(0);
    await s.sandbox.controls.repo.deleteResource('DetectedIssue', issues[0].id as string);
    const report = await s.engine.reconcile('inbox');
    expect(report.missing.map((m) => [m.recordType, m.resourceType, m.ids])).toEqual([['signal', 'DetectedIssue', [`DetectedIssue/${issues[0].id}`]]]);

    // The next version re-submits the signals: the DetectedIssue that went missing is sent again (its
    // written cache was forgotten); the other signal records send nothing (their resources are there).
    const missingRecord = report.missing[0].recordId;
    const v2 = mapped(Number(json.version) + 1);
    const second = await s.engine.submitSignals({ ...v2, episode: v2.bundle });
    const statuses = await s.engine.settle(second.jobIds);
    expect(statuses.map((x) => x.result?.status)).toEqual(second.jobIds.map(() => 'delivered'));
    expect(statuses.find((x) => x.recordId === missingRecord)?.result?.sent).toBeGreaterThanOrEqual(1);
    const issuesAfter = await s.sandbox.controls.find('DetectedIssue');
    expect(issuesAfter).toHaveLength(issues.length);
    // The Communication about it refers to the DetectedIssue as re-created.
    const recreated = issuesAfter.find((i) => !issues.some((x) => x.id === i.id)) as Resource;
    const comms = await s.sandbox.controls.find<Resource & { about?: { reference?: string }[] }>('Communication');
    expect(comms.some((c) => c.about?.some((a) => a.reference === `DetectedIssue/${recreated.id}`))).toBe(true);
    expect(comms.some((c) => c.about?.some((a) => a.reference === `DetectedIssue/${issues[0].id}`))).toBe(false);
    const after = await s.engine.reconcile('inbox');
    expect([after.missing, after.duplicated, after.different]).toEqual([[], [], []]);
  });
});

/**
 * The project's three valid example episodes (examples/*.json), parsed and mapped by src/kap and
 * src/fhir, reach the sandbox EHR complete (every resource, references resolved to server ids,
 * codes intact); submitting them again or as a changed version creates no duplicate.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { mapEpisode } from '../../src/fhir/index.js';
import { parseEpisode } from '../../src/kap/episode.js';
import type { KapEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import type { EpisodeSubmission } from '../../queues/sync-engine.js';
import { REPO_ROOT } from './helpers/sandbox.js';
import { codingsOf, entryKeys, referencesIn, startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';
import type { TargetInput } from '../../src/sync/config.js';

const EXAMPLES = ['iv-ketamine-trd', 'sublingual-lozenge-ptsd', 'esketamine-mdd'];

function parsedExample(name: string, patch?: (e: Record<string, unknown>) => void): KapEpisode {
  const json = JSON.parse(readFileSync(`${REPO_ROOT}examples/${name}.json`, 'utf8')) as Record<string, unknown>;
  patch?.(json);
  const parsed = parseEpisode(json);
  if (!parsed.ok) {
    throw new Error(`example ${name} does not parse`);
  }
  return parsed.episode;
}

/** An example mapped for its own clinic, without its safety signals. */
function load(name: string, patch?: (e: Record<string, unknown>) => void): EpisodeSubmission & { clinicId: string } {
  const episode = parsedExample(name, patch);
  return { clinicId: episode.clinic.id, episodeId: episode.id, version: episode.version, bundle: mapEpisode(episode) };
}

describe.each([
  ['transaction', true],
  ['one-by-one', false],
])('the example episodes reach the sandbox (%s)', (_mode, transactions) => {
  let h: SyncHarness;
  const examples = EXAMPLES.map((n) => ({ name: n, ...load(n) }));

  beforeAll(async () => {
    h = await startSyncHarness({
      transactions,
      extraTargets: (sb) =>
        [...new Set(examples.map((e) => e.clinicId))].map(
          (clinicId) => ({ id: `ehr-${clinicId}`, clinicId, type: 'fhir', roles: ['ehr'], url: sb.baseUrl, timeoutMs: 5000 }) as TargetInput
        ),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  test('complete, references resolved, codes intact; again and changed: no duplicates', async () => {
    const submitted = await Promise.all(examples.map((e) => h.engine.submitEpisode(e)));
    const statuses = await h.engine.settle(submitted.flatMap((s) => s.jobIds));
    expect(statuses.map((s) => [s.recordId, s.result?.status ?? s.deadLetter?.code])).toEqual(
      statuses.map((s) => [s.recordId, 'delivered'])
    );
    const check = async (bundle: Bundle): Promise<void> => {
      const keys = entryKeys(bundle);
      expect(keys.length).toBe((bundle.entry ?? []).filter((e) => e.resource?.resourceType !== 'Provenance').length);
      for (const { type, token, resource } of keys) {
        const found = await h.sandbox.controls.find<Resource>(type, token);
        expect({ token, count: found.length }).toEqual({ token, count: 1 });
        expect(codingsOf(found[0])).toEqual(expect.arrayContaining(codingsOf(resource)));
        const refs = referencesIn(found[0]);
        expect(refs.length).toBe(referencesIn(resource).length);
        for (const ref of refs) {
          if (ref.startsWith('#')) {
            // a contained resource (racemic ketamine's Medication): it travels inside the resource that cites it
            const contained = (found[0] as { contained?: Resource[] }).contained ?? [];
            expect(contained.map((c) => `#${c.id}`)).toContain(ref);
            continue;
          }
          expect(ref).toMatch(/^[A-Za-z]+\/[A-Za-z0-9\-.]+$/);
          const [t, id] = ref.split('/');
          await expect(h.sandbox.controls.repo.readResource(t, id)).resolves.toBeDefined();
        }
      }
    };
    for (const e of examples) {
      await check(e.bundle);
    }
    const total = async (): Promise<number> => {
      let n = 0;
      for (const type of new Set(examples.flatMap((e) => (e.bundle.entry ?? []).map((x) => x.resource?.resourceType as string)))) {
        n += (await h.sandbox.controls.find(type)).length;
      }
      return n;
    };
    const before = await total();

    // Again: nothing new.
    const again = await Promise.all(examples.map((e) => h.engine.submitEpisode(e)));
    await h.engine.settle(again.flatMap((s) => s.jobIds));
    expect(await total()).toBe(before);

    // A changed version of the first example: updated in place (a new Provenance only).
    const changed = load(EXAMPLES[0], (json) => {
      json.version = Number(json.version) + 1;
    });
    const next = await h.engine.submitEpisode(changed);
    const [s] = await h.engine.settle(next.jobIds);
    expect(s.result?.status).toBe('delivered');
    await check(changed.bundle);
    expect(await total()).toBe(before + 1);
  });
});

describe('urgent-signals.json: the safety module\'s signals reach the alert targets', () => {
  let h: SyncHarness;
  const SECRET = 'whsec-examples';

  afterAll(async () => {
    await h?.close();
  });

  test('episode (with its signals) to the EHR, each signal to the prescriber webhook and the clinic FHIR inbox, once', async () => {
    const episode = parsedExample('urgent-signals');
    const clinicId = episode.clinic.id;
    const mapped = mapClinicEpisode(episode, clinicId);
    const { signals } = mapped;
    expect(signals.filter((r) => r.resourceType === 'DetectedIssue')).toHaveLength(3);
    h = await startSyncHarness({
      extraTargets: (sb) => [
        { id: `ehr-${clinicId}`, clinicId, type: 'fhir', roles: ['ehr'], url: sb.baseUrl } as TargetInput,
        { id: 'rx-hook', clinicId, type: 'webhook', roles: ['alerts'], url: `${sb.baseUrl}/_webhook/rx`, webhookSecret: SECRET } as TargetInput,
        { id: 'clinic-inbox', clinicId, type: 'fhir', roles: ['alerts'], url: sb.baseUrl, transaction: 'never' } as TargetInput,
      ],
    });
    h.sandbox.controls.webhookSecrets.set('rx', SECRET);
    const { jobIds } = await h.engine.submitEpisode(mapped);
    expect(jobIds.filter((id) => id.startsWith('alert_'))).toHaveLength(6);
    const statuses = await h.engine.settle(jobIds);
    expect(statuses.map((s) => s.result?.status ?? s.deadLetter?.code)).toEqual(statuses.map(() => 'delivered'));
    expect(h.sandbox.controls.webhooks.filter((w) => w.name === 'rx' && w.verified)).toHaveLength(3);
    // The EHR and the clinic inbox are the same sandbox: each DetectedIssue / Communication exists once.
    for (const r of signals) {
      const found = await h.sandbox.controls.find(r.resourceType, `${r.identifier?.[0]?.system}|${r.identifier?.[0]?.value}`);
      expect({ id: r.identifier?.[0]?.value, n: found.length }).toEqual({ id: r.identifier?.[0]?.value, n: 1 });
      for (const ref of referencesIn(found[0])) {
        expect(ref).toMatch(/^[A-Za-z]+\/[A-Za-z0-9\-.]+$/);
      }
    }
    expect(await h.sandbox.controls.find('Patient')).toHaveLength(1);
  });
});

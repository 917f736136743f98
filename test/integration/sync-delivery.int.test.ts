/**
 * Episodes reach the sandbox EHR complete (every resource, references resolved to server ids,
 * codes intact), over a transaction and one by one; resubmitting or a changed version makes no
 * duplicate; the delivery log and Provenance record what went where.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { syntheticSubmission } from './helpers/sandbox.js';
import { codingsOf, entryKeys, referencesIn, startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

async function expectComplete(h: SyncHarness, bundle: Bundle): Promise<void> {
  for (const { type, token, resource } of entryKeys(bundle)) {
    const found = await h.sandbox.controls.find<Resource>(type, token);
    expect({ token, count: found.length }).toEqual({ token, count: 1 });
    expect(codingsOf(found[0])).toEqual(expect.arrayContaining(codingsOf(resource)));
    for (const ref of referencesIn(found[0])) {
      expect(ref).toMatch(/^[A-Za-z]+\/[A-Za-z0-9\-.]+$/);
      const [t, id] = ref.split('/');
      await expect(h.sandbox.controls.repo.readResource(t, id)).resolves.toBeDefined();
    }
    // Every reference of the submitted resource is still there (same count, none dropped).
    expect(referencesIn(found[0]).length).toBe(referencesIn(resource).length);
  }
}

describe.each([
  ['transaction', true],
  ['one-by-one (no transaction in the CapabilityStatement)', false],
])('episode delivery: %s', (_name, transactions) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ transactions });
  });
  afterAll(async () => {
    await h.close();
  });

  test('three episodes arrive complete; again and as a new version: no duplicates', async () => {
    const submissions = ['ep-1', 'ep-2', 'ep-3'].map((id, i) =>
      syntheticSubmission({ clinicId: h.clinicId, episodeId: id, dosingSessions: i + 1 })
    );
    const episodes = submissions.map((s) => s.bundle);
    const first = await Promise.all(submissions.map((s) => h.engine.submitEpisode(s)));
    const statuses = await h.engine.settle(first.flatMap((r) => r.jobIds));
    expect(statuses.map((s) => s.result?.status)).toEqual(['delivered', 'delivered', 'delivered']);
    // A server that declares batch gets dependency waves of batches (each entry answers for itself).
    expect(statuses.every((s) => s.result?.mode === (transactions ? 'batch' : 'one-by-one'))).toBe(true);
    // Every entry confirmed; the clinic's shared resources (Organization, practitioner) sent once.
    expect(statuses.map((s) => s.result?.count)).toEqual(episodes.map((b) => b.entry?.length));
    expect(statuses.reduce((n, s) => n + (s.result?.sent ?? 0), 0)).toBeLessThan(episodes.reduce((n, b) => n + (b.entry?.length ?? 0), 0));
    for (const b of episodes) {
      await expectComplete(h, b);
    }
    // The body-weight cycle (MA.supportingInformation ↔ Observation.partOf) is resolved both ways.
    const system = clinicIdentifierSystem(h.clinicId);
    const [ma] = await h.sandbox.controls.find<Resource & { supportingInformation?: { reference?: string }[] }>(
      'MedicationAdministration', `${system}|ep-1/ep-1-s1`);
    const [weight] = await h.sandbox.controls.find('Observation', `${system}|ep-1/ep-1-s1-weight`);
    expect(ma.supportingInformation?.[0]?.reference).toBe(`Observation/${weight.id}`);

    // The same submission again: the same job ids, nothing new at the target.
    const again = await h.engine.submitEpisode(submissions[0]);
    expect(again.jobIds).toEqual(first[0].jobIds);
    // A changed version: updated in place.
    const next = syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-1', version: 2, heartRate: 99 });
    const v2 = next.bundle;
    const second = await h.engine.submitEpisode(next);
    expect(second.jobIds[0]).not.toEqual(first[0].jobIds[0]);
    const [s2] = await h.engine.settle(second.jobIds);
    expect(s2.result?.status).toBe('delivered');
    await expectComplete(h, v2);
    const [hr] = await h.sandbox.controls.find<Resource & { valueQuantity?: { value?: number } }>(
      'Observation', `${system}|ep-1/ep-1-s1-hr-pre`);
    expect(hr.valueQuantity?.value).toBe(99);
    const eocs = await h.sandbox.controls.find('EpisodeOfCare');
    expect(eocs).toHaveLength(3);

    // Audit: a delivery log line per delivery (ids and codes only) and the Provenance at the target.
    const logLines = await h.engine.deliveryLog(h.clinicId);
    expect(logLines.map((l) => `${l.recordId}-v${l.version}`).sort()).toEqual(['ep-1-v1', 'ep-1-v2', 'ep-2-v1', 'ep-3-v1']);
    expect(logLines[0].written.length).toBeGreaterThan(0);
    expect(logLines[0].written.every((w) => /^[A-Za-z]+\/[A-Za-z0-9\-.]+$/.test(w))).toBe(true);
    expect(JSON.stringify(logLines)).not.toContain('Testperson');
    const provenances = (await h.sandbox.controls.find<Resource>('Provenance')).filter((p) =>
      (p.meta?.tag ?? []).some((t) => t.system === system && t.code === 'episode-ep-1-v2')
    );
    expect(provenances).toHaveLength(1);
    expect(referencesIn(provenances[0]).length).toBeGreaterThan(0);
    expect(referencesIn(provenances[0]).every((r) => !r.startsWith('urn:'))).toBe(true);
  });
});

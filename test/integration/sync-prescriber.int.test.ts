/**
 * Prescriber delivery after each dosing session (signed webhook and FHIR endpoint) and safety
 * alerts (own queue, priority): what the prescriber receives, that a receiver can verify it, and
 * that high-severity signals go first.
 */
import { parseIdentifierValue } from '../../src/identity/record-identity.js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { verifyWebhook } from '../../src/sandbox/sandbox.js';
import { fullUrlFor } from '../../src/fhir/identifiers.js';
import { clinicIdentifierSystem, SNOMED } from '../../src/terminology/systems.js';
import { syntheticEpisode, syntheticSubmission, until } from './helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

const SECRET = 'whsec-test-only';

describe('prescriber delivery and alerts', () => {
  let h: SyncHarness;
  const system = clinicIdentifierSystem('clinic-a');

  beforeAll(async () => {
    h = await startSyncHarness({
      engine: { alertConcurrency: 1 },
      workers: false,
      extraTargets: (sb) => [
        { id: 'rx-hook', clinicId: 'clinic-a', type: 'webhook', roles: ['prescriber', 'alerts'], url: `${sb.baseUrl}/_webhook/rx`, webhookSecret: SECRET, prescriber: { npi: '1234567893' } },
        { id: 'rx-other', clinicId: 'clinic-a', type: 'webhook', roles: ['prescriber'], url: `${sb.baseUrl}/_webhook/other`, webhookSecret: SECRET, prescriber: { npi: '1111111111' } },
        { id: 'rx-fhir', clinicId: 'clinic-a', type: 'fhir', roles: ['prescriber'], url: sb.baseUrl, transaction: 'never' },
      ],
    });
    h.sandbox.controls.webhookSecrets.set('rx', SECRET);
    h.sandbox.controls.webhookSecrets.set('other', SECRET);
  });
  afterAll(async () => {
    await h.close();
  });

  test('each dosing session goes to its prescriber: MA, vitals, side effects, the session scores; signed', async () => {
    const submission = syntheticSubmission({ clinicId: 'clinic-a', episodeId: 'ep-p', dosingSessions: 2 });
    const { jobIds } = await h.engine.submitEpisode(submission);
    expect(jobIds.sort()).toEqual(
      ['ehr_ehr-main_ep-p_v1', 'rx_rx-hook_ep-p~ep-p-s1_v1', 'rx_rx-hook_ep-p~ep-p-s2_v1', 'rx_rx-fhir_ep-p~ep-p-s1_v1', 'rx_rx-fhir_ep-p~ep-p-s2_v1'].sort()
    );
    await h.engine.startWorkers(['ehr-sync', 'prescriber-delivery']);
    const statuses = await h.engine.settle(jobIds);
    expect(statuses.map((s) => s.result?.status)).toEqual(jobIds.map(() => 'delivered'));

    const hooks = h.sandbox.controls.webhooks.filter((w) => w.name === 'rx');
    expect(hooks).toHaveLength(2);
    expect(h.sandbox.controls.webhooks.filter((w) => w.name === 'other')).toHaveLength(0); // not that prescriber's
    for (const w of hooks) {
      expect(w.verified).toBe(true);
      expect(verifyWebhook('wrong-secret', w.headers['x-kap-timestamp'], w.body, w.headers['x-kap-signature'])).toBe(false);
      expect(verifyWebhook(SECRET, w.headers['x-kap-timestamp'], `${w.body} `, w.headers['x-kap-signature'])).toBe(false);
      expect(w.headers['x-kap-delivery']).toMatch(/^rx_rx-hook_ep-p~ep-p-s\d_v1$/);
    }
    const s1 = JSON.parse(hooks.find((w) => w.headers['x-kap-delivery']?.includes('-s1_'))?.body ?? '{}') as Bundle;
    const values = (s1.entry ?? []).map((e: BundleEntry) => {
      const r = e.resource as Resource & { identifier?: { value?: string } | { value?: string }[] };
      const id = Array.isArray(r.identifier) ? r.identifier[0]?.value : r.identifier?.value;
      return `${r.resourceType}/${id === undefined ? '-' : parseIdentifierValue(id).localId}`;
    });
    expect(values).toEqual(
      expect.arrayContaining([
        'MedicationAdministration/ep-p-s1',
        'Observation/ep-p-s1-hr-pre',
        'Observation/ep-p-s1-weight',
        'AdverseEvent/ep-p-s1-se-1',
        'Observation/obs-ep-p-phq9',
        'MedicationRequest/rx-ep-p',
        'Patient/pat-ep-p',
        'Provenance/-',
      ])
    );
    expect(values).not.toContain('MedicationAdministration/ep-p-s2');
    expect(values).not.toContain('Observation/ep-p-s2-hr-pre');
    // The FHIR endpoint got the same by conditional updates, one by one.
    const [ma] = await h.sandbox.controls.find('MedicationAdministration', `${system}|ep-p/ep-p-s2`);
    expect(ma).toBeDefined();
    expect(statuses.find((s) => s.id === 'rx_rx-fhir_ep-p~ep-p-s1_v1')?.result?.mode).toBe('one-by-one');
  });

  test('alerts: delivered by their own workers, high severity first', async () => {
    const patient = { reference: fullUrlFor('Patient', system, 'pat-ep-p') };
    const signal = (id: string, severity: 'high' | 'moderate' | 'low'): BundleEntry[] => {
      const di = fullUrlFor('DetectedIssue', system, id);
      return [
        {
          fullUrl: di,
          resource: {
            resourceType: 'DetectedIssue',
            identifier: [{ system, value: id }],
            status: 'final',
            severity,
            patient,
            code: { coding: [{ system: SNOMED, code: '225444004' }] },
          },
        },
        {
          fullUrl: fullUrlFor('Communication', system, `${id}-com`),
          resource: { resourceType: 'Communication', identifier: [{ system, value: `${id}-com` }], status: 'completed', about: [{ reference: di }], subject: patient },
        },
      ];
    };
    const episode = syntheticEpisode({ clinicId: 'clinic-a', episodeId: 'ep-p', dosingSessions: 2 });
    const submitSignals = (entry: BundleEntry[]) =>
      h.engine.submitSignals({ clinicId: 'clinic-a', episodeId: 'ep-p', version: 1, signals: { resourceType: 'Bundle', type: 'collection', entry }, episode });
    const low = await submitSignals(signal('sig-low', 'low'));
    const high = await submitSignals(signal('sig-high', 'high'));
    expect([...low.jobIds, ...high.jobIds]).toEqual(['alert_rx-hook_ep-p~sig-low_v1', 'alert_rx-hook_ep-p~sig-high_v1']);
    await h.engine.startWorkers(['alerts']);
    const statuses = await h.engine.settle([...low.jobIds, ...high.jobIds]);
    expect(statuses.map((s) => s.result?.status)).toEqual(['delivered', 'delivered']);
    await until(() => h.sandbox.controls.webhooks.filter((w) => w.headers['x-kap-delivery']?.startsWith('alert_')).length === 2);
    const alerts = h.sandbox.controls.webhooks.filter((w) => w.headers['x-kap-delivery']?.startsWith('alert_'));
    expect(alerts.map((w) => w.headers['x-kap-delivery'])).toEqual(['alert_rx-hook_ep-p~sig-high_v1', 'alert_rx-hook_ep-p~sig-low_v1']);
    expect(alerts.every((w) => w.verified)).toBe(true);
    const body = JSON.parse(alerts[0].body) as Bundle;
    expect(body.entry?.map((e) => e.resource?.resourceType).sort()).toEqual(
      expect.arrayContaining(['Communication', 'DetectedIssue', 'Patient'])
    );
  });
});

import { describe, expect, test } from '@jest/globals';
import type { Bundle, BundleEntry, DetectedIssue, MedicationAdministration, Observation, Resource } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { parseIdentifierValue } from '../identity/record-identity.js';
import { parseEpisode } from '../kap/episode.js';
import { mapClinicEpisode, mapClinicEpisodeWithSummaries } from '../pipeline/map-clinic-episode.js';
import { addDosingCopy, baseEpisode, esketamineEpisode, type EpisodeJson } from '../safety/__test__/episode-fixture.js';
import { prescriberDeliveries, type PrescriberDelivery } from './prescriber-deliveries.js';
import { sessionFindings } from './session-findings.js';

/** An episode JSON mapped for clinic c1, with its safety signals. */
function mappedEpisode(json: EpisodeJson): Bundle {
  const parsed = parseEpisode(json);
  if (!parsed.ok) {
    throw new Error(`episode ${String(json.id)} does not parse`);
  }
  return mapClinicEpisode(parsed.episode, 'c1').bundle;
}

function example(name: string): Bundle {
  return mappedEpisode(JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8')));
}

function deliveryBundle(bundle: Bundle, sessionId: string): PrescriberDelivery['bundle'] {
  const d = prescriberDeliveries(bundle, 'c1', { episodeId: 'ep', version: 1 }).find((x) => x.sessionId === sessionId);
  if (!d) {
    throw new Error(`no delivery for ${sessionId}`);
  }
  return d.bundle;
}

/** The safety rules of the DetectedIssues a session's delivery carries, sorted. */
function signalsIn(bundle: Bundle, sessionId: string): string[] {
  return (deliveryBundle(bundle, sessionId).entry ?? [])
    .flatMap((e) => (e.resource?.resourceType === 'DetectedIssue' ? (e.resource.code?.coding ?? []).map((c) => c.code ?? '') : []))
    .sort();
}

/** `Type/localId` of each entry of a Bundle. */
function idsIn(bundle: Bundle): string[] {
  return (bundle.entry ?? []).flatMap((e: BundleEntry) => {
    const r = e.resource as Resource & { identifier?: { value?: string } | { value?: string }[] };
    const id = Array.isArray(r.identifier) ? r.identifier[0]?.value : r.identifier?.value;
    return id ? [`${r.resourceType}/${parseIdentifierValue(id).localId}`] : [];
  });
}

function deliveryOf(bundle: Bundle, sessionId: string): string[] {
  return idsIn(deliveryBundle(bundle, sessionId));
}

/** The questionnaire scores a session's delivery starts from (its own, by window; not the baselines they cite). */
function ownScores(bundle: Bundle, sessionId: string): string[] {
  const ma = bundle.entry?.find((e) => idsIn({ resourceType: 'Bundle', type: 'collection', entry: [e] })[0] === `MedicationAdministration/${sessionId}`);
  const roots = new Set(sessionFindings(bundle, ma?.fullUrl ?? '', []));
  const scores = (bundle.entry ?? []).filter(
    (e) => roots.has(e.fullUrl ?? '') && e.resource?.meta?.profile?.includes('https://kap-fhir.org/fhir/StructureDefinition/kap-instrument-score')
  );
  return idsIn({ resourceType: 'Bundle', type: 'collection', entry: scores }).map((id) => id.slice('Observation/'.length)).sort();
}

describe('prescriber delivery: the session\'s own scores, by time window (src/sync/session-findings.ts)', () => {
  const bundle = example('esketamine-mdd');

  test.each([
    ['es-02', ['phq-a']], // first dose: everything before it (the baseline at assessment)
    ['es-03', []], // nothing between the end of es-02 and the start of es-04
    ['es-04', ['phq-b']], // the morning's PHQ-9 belongs to that day's dose
    ['es-05', ['phq-c']], // the last dose: what followed it (the follow-up of 9 November)
  ])('%s carries the scores %j as its own', (session, expected) => {
    expect(ownScores(bundle, session)).toEqual(expected);
  });

  test.each([
    ['es-02', []], // the baseline itself: no change yet
    ['es-03', []], // no score in its window and no change before it
    ['es-04', ['phq-b-change']], // the change of its own score
    ['es-05', ['phq-c-change']], // its own (what followed)
  ])('%s carries the change from baseline %j', (session, expected) => {
    const changes = deliveryOf(bundle, session).filter((id) => id.endsWith('-change'));
    expect(changes.map((id) => id.slice('Observation/'.length)).sort()).toEqual(expected);
  });

  test('windows do not overlap: a score between two doses belongs to one of them (iv-ketamine-trd)', () => {
    const iv = example('iv-ketamine-trd');
    const owners = ['s-03', 's-05', 's-06', 's-08', 's-09', 's-10'].map((s) => [s, ownScores(iv, s)]);
    // qr-2 (21 April, integration after s-06, 1.7 days before s-08) follows s-06; qr-3 and qr-4 follow the last dose
    expect(owners).toEqual([['s-03', ['qr-1']], ['s-05', []], ['s-06', ['qr-2']], ['s-08', []], ['s-09', []], ['s-10', ['qr-3', 'qr-4']]]);
    // s-08 has no score of its own: it carries the change so far (qr-2's)
    expect(deliveryOf(iv, 's-08').filter((id) => id.endsWith('-change'))).toEqual(['Observation/qr-2-change']);
  });

  test('a session of 12 October never carries the PHQ-9 of 9 November', () => {
    expect(deliveryOf(bundle, 'es-02')).not.toContain('QuestionnaireResponse/phq-c');
    expect(deliveryOf(bundle, 'es-02')).not.toContain('Observation/phq-c');
  });

  test('the session\'s signals travel with it, another session\'s do not', () => {
    const withIssue: Bundle = structuredClone(bundle);
    const vital = withIssue.entry?.find((e) => idsIn({ resourceType: 'Bundle', type: 'collection', entry: [e] })[0] === 'Observation/es-03-bp40');
    const issue: DetectedIssue = {
      resourceType: 'DetectedIssue',
      identifier: [{ system: 'https://kap-fhir.org/fhir/clinic/c1', value: 'ep.signal-test' }],
      status: 'final',
      implicated: [{ reference: vital?.fullUrl }],
    };
    withIssue.entry?.push({ fullUrl: 'urn:uuid:5f1d3c7e-0000-4000-8000-000000000001', resource: issue });
    const has = (session: string): boolean =>
      prescriberDeliveries(withIssue, 'c1', { episodeId: 'ep', version: 1 })
        .find((x) => x.sessionId === session)
        ?.bundle.entry?.some((e) => e.resource?.resourceType === 'DetectedIssue' && e.resource.identifier?.[0]?.value === 'ep.signal-test') ?? false;
    expect(vital).toBeDefined();
    expect(has('es-03')).toBe(true);
    expect(has('es-04')).toBe(false);
  });

  test('two esketamine doses 4 h apart: esketamine-two-doses-same-day travels with the later session only', () => {
    const ep = esketamineEpisode();
    addDosingCopy(ep, 's-03', (t) => t.replace(/T(\d{2})/, (_m, h: string) => `T${String(Number(h) + 4).padStart(2, '0')}`));
    const two = mappedEpisode(ep);
    expect(signalsIn(two, 's-03')).toEqual(['esketamine-two-doses-same-day']);
    expect(signalsIn(two, 's-02')).toEqual([]);
  });

  test('a dose 2 days after another against a once-per-3-days prescription: dose-interval-short travels with the later session only', () => {
    const ep = baseEpisode();
    ep.prescriptions[0].minIntervalDays = 3;
    addDosingCopy(ep, 's-03', (t) => t.replace('2026-04-03', '2026-04-05'));
    const two = mappedEpisode(ep);
    expect(signalsIn(two, 's-03')).toEqual(['dose-interval-short']);
    expect(signalsIn(two, 's-02')).toEqual([]);
  });

  test('each session carries its own summary (Composition and PDF DocumentReference), not another session\'s', async () => {
    const parsed = parseEpisode(JSON.parse(readFileSync(new URL('../../examples/esketamine-mdd.json', import.meta.url), 'utf8')));
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const withSummaries = (await mapClinicEpisodeWithSummaries(parsed.episode, 'c1')).bundle;
    for (const session of ['es-02', 'es-03', 'es-04', 'es-05']) {
      const summaries = deliveryOf(withSummaries, session).filter((id) => /^(Composition|DocumentReference)\/|-rems(-pdf)?$/.test(id));
      expect(summaries.sort()).toEqual([
        `Composition/summary-${session}`,
        `DocumentReference/${session}-rems-pdf`,
        `DocumentReference/summary-${session}`,
        `QuestionnaireResponse/${session}-rems`,
      ]);
    }
  });

  test('a questionnaire signal of the session travels with it: PHQ-9 item 9 positive (urgent-signals, u-02)', () => {
    const urgent = example('urgent-signals');
    expect(deliveryOf(urgent, 'u-02')).toEqual(expect.arrayContaining(['QuestionnaireResponse/u-qr-1', 'Observation/u-qr-1-item9']));
    expect(signalsIn(urgent, 'u-02')).toContain('phq9-item9-positive');
  });

  test('a C-SSRS with Q2 No and Q4 Yes: the session carries its high risk and the contradiction', () => {
    const ep = baseEpisode();
    ep.questionnaires[1].answers = { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-4': 1, 'cssrs-6': 0 };
    const signals = signalsIn(mappedEpisode(ep), 's-02');
    expect(signals).toEqual(expect.arrayContaining(['cssrs-high', 'cssrs-inconsistent']));
    expect(deliveryOf(mappedEpisode(ep), 's-02')).toContain('QuestionnaireResponse/qr-cssrs');
  });

  test('a PHQ-9 with item 9 blank (no total score): the response and its signal still travel with the session', () => {
    const ep = baseEpisode();
    ep.questionnaires[0].answers = [3, 3, 2, 2, 2, 2, 2, 2, null];
    const bundle = mappedEpisode(ep);
    expect(deliveryOf(bundle, 's-02')).toContain('QuestionnaireResponse/qr-phq');
    expect(signalsIn(bundle, 's-02')).toContain('phq9-item9-unanswered');
    // near miss: answered, no signal, the response still travels
    const clean = mappedEpisode(baseEpisode());
    expect(deliveryOf(clean, 's-02')).toContain('QuestionnaireResponse/qr-phq');
    expect(signalsIn(clean, 's-02')).not.toContain('phq9-item9-unanswered');
  });

  test('a held dose reaches the prescriber as not-done with its reason and the plan (held-dose-bp, h-02)', () => {
    const held = example('held-dose-bp');
    const entries = deliveryBundle(held, 'h-02').entry ?? [];
    const ma = entries.find((e) => e.resource?.resourceType === 'MedicationAdministration')?.resource as MedicationAdministration;
    expect(ma.status).toBe('not-done');
    expect(ma.statusReason?.[0]?.coding?.[0]?.code).toBe('blood-pressure-high');
    const plan = entries
      .map((e) => e.resource)
      .find((r): r is Observation => r?.resourceType === 'Observation' && !!r.meta?.profile?.some((p) => p.endsWith('/kap-dosing-plan')));
    expect(plan?.valueCodeableConcept?.coding?.[0]?.system).toMatch(/kap-dosing-plan$/);
    expect(signalsIn(held, 'h-02')).toEqual([]); // held for BP: no dose given, nothing to signal (src/safety/examples.test.ts)
    const given = deliveryBundle(held, 'h-03').entry?.find((e) => e.resource?.resourceType === 'MedicationAdministration')?.resource as MedicationAdministration;
    expect(given.status).toBe('completed');
  });
});

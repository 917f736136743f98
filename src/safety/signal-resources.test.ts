import { describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { clinicIdentifierSystem, KAP_SAFETY_SIGNAL, kapProfile } from '../terminology/systems.js';
import { baseEpisode, mapped } from './__test__/episode-fixture.js';
import { detectSignals } from './detect-signals.js';
import { signalEntries, toSignalResources } from './signal-resources.js';

loadBaseDefinitions();

const SYSTEM = clinicIdentifierSystem('test-clinic');

function urgentAndAttention(): Bundle {
  const ep = baseEpisode();
  ep.sessions[1].vitals[0].systolic = 170; // pre-dose BP → urgent
  ep.sessions[1].sideEffects = [{ id: 'se-m', effect: 'anxiety', severity: 'moderate' }]; // → attention
  return mapped(ep);
}

function entryOf(bundle: Bundle, type: string, value: string): { fullUrl?: string; resource?: Resource } | undefined {
  return bundle.entry?.find(
    (e) =>
      e.resource?.resourceType === type &&
      JSON.stringify((e.resource as { identifier?: unknown }).identifier ?? '').includes(`"value":"${value}"`)
  );
}

/** Standalone validation cannot resolve urn:uuid references: swap them for literal `Type/id` ones before validating. */
function literalRefs<T>(bundle: Bundle, r: T): T {
  const types = new Map((bundle.entry ?? []).map((e) => [e.fullUrl, e.resource?.resourceType]));
  return JSON.parse(
    JSON.stringify(r).replace(/urn:uuid:[0-9a-f-]{36}/g, (u) => `${types.get(u) ?? 'DetectedIssue'}/${u.slice(9, 17)}`)
  ) as T;
}

describe('signal → DetectedIssue + Communication', () => {
  const bundle = urgentAndAttention();
  const signals = detectSignals(bundle);

  test('the fixture gives one urgent and one attention signal', () => {
    expect(signals.map((s) => `${s.rule} ${s.severity}`)).toEqual(['bp-predose-high urgent', 'side-effect-moderate attention']);
  });

  test('urgent: DetectedIssue severity high, code, implicated, patient, identifier; Communication stat to the prescriber', () => {
    const { detectedIssue, communication } = toSignalResources(signals[0], bundle);
    expect(detectedIssue).toMatchObject({
      resourceType: 'DetectedIssue',
      meta: { profile: [kapProfile('kap-safety-signal')] },
      identifier: [{ system: SYSTEM, value: 'ep-t1/signal-bp-predose-high-s-02-bp-pre' }],
      status: 'final',
      code: { coding: [{ system: KAP_SAFETY_SIGNAL, code: 'bp-predose-high' }] },
      severity: 'high',
      patient: { reference: entryOf(bundle, 'Patient', 'pt-t1')?.fullUrl },
      identifiedDateTime: '2026-04-03T09:05:00-05:00',
      implicated: signals[0].resources.map((reference) => ({ reference })),
    });
    const issueUrl = signalEntries(bundle, [signals[0]])[0].fullUrl;
    expect(communication).toMatchObject({
      resourceType: 'Communication',
      meta: { profile: [kapProfile('kap-safety-communication')] },
      identifier: [{ system: SYSTEM, value: 'ep-t1/signal-bp-predose-high-s-02-bp-pre' }],
      status: 'completed',
      priority: 'stat',
      subject: { reference: entryOf(bundle, 'Patient', 'pt-t1')?.fullUrl },
      recipient: [{ reference: entryOf(bundle, 'Practitioner', 'pr-md')?.fullUrl }],
      sender: { reference: entryOf(bundle, 'Organization', 'test-clinic')?.fullUrl },
      about: [{ reference: issueUrl }],
      payload: [{ contentReference: { reference: issueUrl } }],
    });
    expect(validateResource(literalRefs(bundle, detectedIssue))).toEqual([]);
    expect(validateResource(literalRefs(bundle, communication))).toEqual([]);
  });

  test('attention: severity moderate, priority urgent', () => {
    const { detectedIssue, communication } = toSignalResources(signals[1], bundle);
    expect(detectedIssue.severity).toBe('moderate');
    expect(detectedIssue.identifier?.[0].value).toBe('ep-t1/signal-side-effect-moderate-se-m');
    expect(communication.priority).toBe('urgent');
  });

  test('information: severity low, priority routine, both valid', () => {
    const ep = baseEpisode();
    ep.sessions[1].medicationReview = { reviewedAt: '2026-04-03T09:02:00-05:00', medications: [{ id: 'm1', class: 'lamotrigine' }] };
    const b = mapped(ep);
    const [signal] = detectSignals(b);
    expect(signal.severity).toBe('information');
    const { detectedIssue, communication } = toSignalResources(signal, b);
    expect(detectedIssue.severity).toBe('low');
    expect(communication.priority).toBe('routine');
    expect(validateResource(literalRefs(b, detectedIssue))).toEqual([]);
    expect(validateResource(literalRefs(b, communication))).toEqual([]);
  });

  test('entries: DetectedIssue then Communication, conditional PUT on the identifier, deterministic', () => {
    const entries = signalEntries(bundle, signals);
    expect(entries.map((e) => e.resource?.resourceType)).toEqual(['DetectedIssue', 'Communication', 'DetectedIssue', 'Communication']);
    expect(entries[0].request).toEqual({
      method: 'PUT',
      url: `DetectedIssue?identifier=${encodeURIComponent(`${SYSTEM}|ep-t1/signal-bp-predose-high-s-02-bp-pre`)}`,
    });
    expect(entries[0].fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.stringify(signalEntries(urgentAndAttention(), detectSignals(urgentAndAttention())))).toBe(JSON.stringify(entries));
  });

  test('the episode Bundle plus the signal entries is a valid transaction (references resolve inside it)', () => {
    const all: Bundle = { ...bundle, entry: [...(bundle.entry ?? []), ...signalEntries(bundle, signals)] };
    const urls = new Set(all.entry?.map((e) => e.fullUrl));
    const refs = JSON.stringify(signalEntries(bundle, signals)).match(/urn:uuid:[0-9a-f-]{36}/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !urls.has(r))).toEqual([]);
  });

  test('no PHI in the signal resources (no names, birth date)', () => {
    const text = JSON.stringify(signalEntries(bundle, signals));
    for (const phi of ['Sam', 'Fixture', '1980-01-01', 'Dana']) {
      expect(text).not.toContain(phi);
    }
  });
});

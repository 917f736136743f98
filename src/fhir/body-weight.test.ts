/**
 * The body weight of a dose: a mg/kg dose's weight, and the optional weight recorded with a mg dose, both become the
 * body-weight Observation (LOINC 29463-7, `<sessionId>-weight`) the MedicationAdministration cites in
 * supportingInformation — so src/safety can check a racemic mg dose against the route's mg/kg ceiling.
 */
import { describe, expect, test } from '@jest/globals';
import type { Bundle, DetectedIssue, MedicationAdministration, Observation } from '@medplum/fhirtypes';
import { parseEpisode, type KapEpisode } from '../kap/index.js';
import { mapClinicEpisode } from '../pipeline/map-clinic-episode.js';
import type { SafetyOverrides } from '../safety/index.js';
import { fixtureEpisode } from './__test__/fixture-episode.js';
import { mapEpisode } from './map-episode.js';
import { unmapBundle } from './reverse/index.js';

/** The fixture with its IV dose s-03 given as `mg` (prescribed in mg too), with or without a body weight. */
function mgDose(mg: number, bodyWeightKg?: number): KapEpisode {
  const input = fixtureEpisode();
  const rx = input.prescriptions?.find((p) => p.id === 'rx-1');
  Object.assign(rx ?? {}, { dose: { unit: 'mg', value: mg } });
  const s3 = input.sessions?.find((s) => s.id === 's-03');
  Object.assign(s3 ?? {}, { dose: { unit: 'mg', value: mg, ...(bodyWeightKg !== undefined ? { bodyWeightKg } : {}) } });
  const parsed = parseEpisode(input);
  if (!parsed.ok) {
    throw new Error(JSON.stringify(parsed.outcome.issue));
  }
  return parsed.episode;
}

function resourceOf<T>(bundle: Bundle, type: string, id: string): T | undefined {
  return bundle.entry?.find(
    (e) => e.resource?.resourceType === type && (e.resource as { identifier?: { value?: string }[] }).identifier?.some((i) => i.value?.split('/').pop() === id)
  )?.resource as T | undefined;
}

/** The rules of the mapped episode's DetectedIssues with what they implicate (resourceType/identifier value). */
function signals(episode: KapEpisode, safety?: SafetyOverrides): string[] {
  const { bundle, signals: resources } = mapClinicEpisode(episode, 'sunrise-kap', safety);
  const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl, e.resource]));
  return resources
    .filter((r): r is DetectedIssue => r.resourceType === 'DetectedIssue')
    .filter((d) => ['dose-per-kg-above-ceiling', 'dose-per-kg-unchecked'].includes(d.code?.coding?.[0]?.code ?? ''))
    .map((d) =>
      [
        d.code?.coding?.[0]?.code,
        ...(d.implicated ?? []).map((r) => {
          const res = byUrl.get(r.reference) as { resourceType: string; identifier?: { value?: string }[] } | undefined;
          return `${res?.resourceType}/${res?.identifier?.[0]?.value?.split('/').pop()}`;
        }),
      ].join(' ')
    );
}

describe('the body weight recorded with a mg dose', () => {
  test('maps to the same body-weight Observation a mg/kg dose has, cited by the MedicationAdministration', () => {
    const bundle = mapEpisode(mgDose(412, 82));
    const ma = resourceOf<MedicationAdministration>(bundle, 'MedicationAdministration', 's-03');
    const weight = resourceOf<Observation>(bundle, 'Observation', 's-03-weight');
    expect(ma?.dosage?.dose).toEqual({ value: 412, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(ma?.dosage?.extension).toBeUndefined(); // no mg/kg was prescribed or given: none is invented
    expect(ma?.supportingInformation).toHaveLength(1);
    expect(bundle.entry?.find((e) => e.fullUrl === ma?.supportingInformation?.[0].reference)?.resource).toBe(weight);
    expect(weight?.meta?.profile?.[0]).toMatch(/\/kap-body-weight$/);
    expect([weight?.code.coding?.[0].code, weight?.valueQuantity?.value, weight?.valueQuantity?.code, weight?.effectiveDateTime]).toEqual([
      '29463-7',
      82,
      'kg',
      '2026-03-06T09:15:00-05:00',
    ]);
  });

  test('a mg dose without a weight has neither the Observation nor supportingInformation', () => {
    const bundle = mapEpisode(mgDose(41));
    expect(resourceOf<MedicationAdministration>(bundle, 'MedicationAdministration', 's-03')?.supportingInformation).toBeUndefined();
    expect(resourceOf<Observation>(bundle, 'Observation', 's-03-weight')).toBeUndefined();
  });

  test.each([
    ['with', 82],
    ['without', undefined],
  ])('round trip of a mg dose %s a body weight is exact', (_w, kg) => {
    const episode = mgDose(412, kg);
    const bundle = mapEpisode(episode);
    const { episode: back, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    // the fixture lists its sessions out of order: the way back's Bundle is the same Bundle
    expect(JSON.stringify(mapEpisode(back))).toBe(JSON.stringify(bundle));
    expect(back.sessions.find((s) => s.id === 's-03')).toMatchObject({ dose: kg === undefined ? { unit: 'mg', value: 412 } : { unit: 'mg', value: 412, bodyWeightKg: 82 } });
  });

  test('src/safety finds the weight: 412 mg IV at 82 kg (5 mg/kg) is above the 1 mg/kg IV ceiling', () => {
    expect(signals(mgDose(412, 82))).toEqual(['dose-per-kg-above-ceiling MedicationAdministration/s-03 Observation/s-03-weight']);
  });

  test('41 mg IV at 82 kg (0.5 mg/kg) is below the ceiling', () => {
    expect(signals(mgDose(41, 82))).toEqual([]);
  });

  test('requireBodyWeight is satisfied by the weight of a mg dose, and unchecked without it', () => {
    const requireWeight: SafetyOverrides = { routes: { iv: { requireBodyWeight: true } } };
    expect(signals(mgDose(41, 82), requireWeight)).toEqual([]);
    expect(signals(mgDose(41), requireWeight)).toEqual(['dose-per-kg-unchecked MedicationAdministration/s-03']);
  });
});

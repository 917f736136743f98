/**
 * The way back of issue 13's elements (docs/design/issue-13-contract.md): what our Bundle carries comes back
 * exactly, and what an EHR may send differently (no reason on a not-done dose, mg/kg only in doseQuantity or only in
 * the old extension, a Medication entry instead of a contained one, derived Observations without derivedFrom,
 * contradictions the KAP rules forbid) is recovered as far as it can be, with the rest listed (never a value).
 */
import { describe, expect, test } from '@jest/globals';
import type {
  AdverseEvent,
  Bundle,
  Medication,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import { detailedEpisode, dosingInput } from '../../src/fhir/__test__/detailed-episode.js';
import { find } from '../../src/fhir/__test__/mapped.js';
import { mapEpisode } from '../../src/fhir/index.js';
import { prescriptionSig } from '../../src/fhir/medication-request.js';
import { unmapBundle } from '../../src/fhir/reverse/index.js';
import { kapEpisodeSchema, type KapEpisode, type KapEpisodeInput } from '../../src/kap/index.js';
import { EXTENSIONS, PROFILES } from '../../src/fhir/profiles.js';
import type { DosingSession } from '../../src/kap/dosing-session.js';
import { chronological } from './arbitraries.js';

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The episode with its collections in the way back's order (docs/mapping.md §3; the fixture appends out of order). */
function canonical(ep: KapEpisode): KapEpisode {
  const sessions = ep.sessions
    .map((s) => ({
      ...s,
      ...(s.medicationReview ? { medicationReview: { ...s.medicationReview, medications: [...s.medicationReview.medications].sort(byId) } } : {}),
      ...(s.kind === 'dosing'
        ? { vitals: [...s.vitals].sort(chronological((v) => v.time)), sideEffects: [...s.sideEffects].sort(byId) }
        : {}),
    }))
    .sort(chronological((s) => s.start)) as KapEpisode['sessions'];
  return {
    ...ep,
    prescriptions: [...ep.prescriptions].sort(chronological((p) => p.authoredOn)),
    questionnaires: [...ep.questionnaires].sort(chronological((q) => q.authored)),
    sessions,
  };
}

function parsed(change: (ep: KapEpisodeInput) => void = () => undefined): KapEpisode {
  const ep = detailedEpisode();
  change(ep);
  return canonical(kapEpisodeSchema.parse(ep));
}

/** Our Bundle as plain JSON (tests edit it as an EHR would). */
function bundleOf(ep: KapEpisode): Bundle {
  return JSON.parse(JSON.stringify(mapEpisode(ep))) as Bundle;
}

function dosing(ep: KapEpisode, id: string): DosingSession {
  const s = ep.sessions.find((x) => x.id === id);
  if (s?.kind !== 'dosing') {
    throw new Error(`no dosing session ${id}`);
  }
  return s;
}

function entryIndex(bundle: Bundle, r: Resource): number {
  return (bundle.entry ?? []).findIndex((e) => e.resource === r);
}

describe('our Bundle of every issue-13 element comes back exactly', () => {
  test('the detailed fixture round-trips with nothing ignored', () => {
    const ep = parsed();
    const { episode, ignored } = unmapBundle(bundleOf(ep));
    expect(ignored).toEqual([]);
    expect(episode).toEqual(ep);
    // and the fixture does exercise the new readers
    expect(dosing(episode, 's-07')).toMatchObject({ selfAdministered: true, deviceCount: 3, administeredBy: 'pr-nurse-1' });
    expect(dosing(episode, 's-08')).toMatchObject({ doseStatus: 'partial', doseStatusReason: 'adverse-reaction', form: 'lozenge' });
    expect(dosing(episode, 's-03').plan?.nextDose).toEqual({ unit: 'mg/kg', value: 0.6 });
    expect(episode.prescriptions.find((p) => p.id === 'rx-3')?.minIntervalDays).toBe(3);
    expect(episode.prescriptions.find((p) => p.id === 'rx-4')?.sig).toMatch(/troches/);
  });

  const statuses: [DosingSession['doseStatus'], NonNullable<DosingSession['doseStatusReason']>, string][] = [
    ['held', 'blood-pressure-high', 'not-done'],
    ['refused', 'patient-refused', 'not-done'],
    ['partial', 'patient-refused', 'stopped'],
  ];
  test.each(statuses)('a %s dose (%s) goes as %s and comes back', (status, reason, fhirStatus) => {
    const ep = parsed((e) => Object.assign(dosingInput(e, 's-04'), { doseStatus: status, doseStatusReason: reason }));
    const bundle = bundleOf(ep);
    expect(find(bundle, 'MedicationAdministration', 's-04').status).toBe(fhirStatus);
    const { episode, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    expect(dosing(episode, 's-04')).toMatchObject({ doseStatus: status, doseStatusReason: reason });
  });

  test('the body weight recorded with a mg dose comes back from the body-weight Observation it cites', () => {
    const ep = parsed((e) => Object.assign(dosingInput(e, 's-08'), { dose: { unit: 'mg', value: 100, bodyWeightKg: 71.3 } }));
    const bundle = bundleOf(ep);
    const ma = find(bundle, 'MedicationAdministration', 's-08') as MedicationAdministration;
    const weight = find(bundle, 'Observation', 's-08-weight') as Observation;
    expect(weight.valueQuantity?.value).toBe(71.3);
    expect(ma.supportingInformation?.map((r) => r.reference)).toEqual([bundle.entry?.find((x) => x.resource === weight)?.fullUrl]);
    expect(ma.dosage?.extension).toBeUndefined();
    const { episode, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    expect(episode).toEqual(ep);
    expect(dosing(episode, 's-08').dose).toEqual({ unit: 'mg', value: 100, bodyWeightKg: 71.3 });
  });

  test('a weight the model cannot hold, cited by a mg dose, is left unread and the mg dose kept', () => {
    const ep = parsed((e) => Object.assign(dosingInput(e, 's-08'), { dose: { unit: 'mg', value: 100, bodyWeightKg: 71.3 } }));
    const bundle = bundleOf(ep);
    const weight = find(bundle, 'Observation', 's-08-weight') as Observation;
    Object.assign(weight.valueQuantity ?? {}, { value: 401 });
    const { episode, ignored } = unmapBundle(bundle);
    expect(dosing(episode, 's-08').dose).toEqual({ unit: 'mg', value: 100 });
    expect(ignored.map((i) => [i.resourceType, i.location])).toEqual([['Observation', `Bundle.entry[${entryIndex(bundle, weight)}].resource`]]);
  });

  test('a generated sig is not kept as a written one', () => {
    const ep = parsed();
    const rx = ep.prescriptions.find((p) => p.id === 'rx-3');
    const mr = find(bundleOf(ep), 'MedicationRequest', 'rx-3');
    expect(rx?.sig).toBeUndefined();
    expect(mr.dosageInstruction?.[0]?.text).toBe(prescriptionSig(rx as NonNullable<typeof rx>));
  });
});

describe('what an EHR sends differently', () => {
  test('not-done without a reason is a held dose with reason "other" (defaulted)', () => {
    const bundle = bundleOf(parsed());
    const ma = find(bundle, 'MedicationAdministration', 's-04') as MedicationAdministration;
    ma.status = 'not-done';
    const { episode, ignored } = unmapBundle(bundle);
    expect(dosing(episode, 's-04')).toMatchObject({ doseStatus: 'held', doseStatusReason: 'other' });
    expect(ignored).toEqual([
      { resourceType: 'MedicationAdministration', location: `Bundle.entry[${entryIndex(bundle, ma)}].resource.statusReason`, reason: 'defaulted' },
    ]);
  });

  test('mg/kg reads from doseQuantity alone, and from the old extension alone', () => {
    const ep = parsed((e) => {
      const rx = e.prescriptions?.find((p) => p.id === 'rx-1');
      Object.assign(rx ?? {}, { dose: { unit: 'mg/kg', value: 0.5 } });
    });
    const withoutExtension = bundleOf(ep);
    const mr1 = find(withoutExtension, 'MedicationRequest', 'rx-1') as MedicationRequest;
    expect(mr1.dosageInstruction?.[0]?.extension?.[0]?.url).toBe(EXTENSIONS.dosePerBodyWeight);
    delete mr1.dosageInstruction?.[0]?.extension;
    expect(unmapBundle(withoutExtension).episode).toEqual(ep);

    const onlyExtension = bundleOf(ep);
    const mr2 = find(onlyExtension, 'MedicationRequest', 'rx-1') as MedicationRequest;
    delete mr2.dosageInstruction?.[0]?.doseAndRate;
    expect(unmapBundle(onlyExtension).episode).toEqual(ep);
  });

  test('a Medication entry referenced instead of a contained one gives form and strength', () => {
    const ep = parsed();
    const bundle = bundleOf(ep);
    const ma = find(bundle, 'MedicationAdministration', 's-08') as MedicationAdministration;
    const med = ma.contained?.[0] as Medication;
    delete ma.contained;
    delete med.id;
    bundle.entry?.push({ fullUrl: 'urn:uuid:7d1a1b0e-52c1-4c36-9d1d-0e5f3c1a0b01', resource: med });
    ma.medicationReference = { reference: 'urn:uuid:7d1a1b0e-52c1-4c36-9d1d-0e5f3c1a0b01' };
    const { episode, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    expect(dosing(episode, 's-08')).toMatchObject({ form: 'lozenge', strength: { mg: 100, per: 'unit' } });
  });

  test('a form on esketamine, or devices that do not make the dose, are left out and listed', () => {
    const bundle = bundleOf(parsed());
    const ma = find(bundle, 'MedicationAdministration', 's-07') as MedicationAdministration;
    const at = entryIndex(bundle, ma);
    ma.extension = (ma.extension ?? []).map((e) => (e.url === EXTENSIONS.deviceCount ? { ...e, valuePositiveInt: 2 } : e));
    const ketamine = find(bundle, 'MedicationAdministration', 's-08') as MedicationAdministration;
    const contained = JSON.parse(JSON.stringify(ketamine.contained)) as Medication[];
    contained[0].code = ma.medicationCodeableConcept;
    ma.contained = contained;
    ma.medicationReference = { reference: '#med' };
    delete ma.medicationCodeableConcept;
    const { episode, ignored } = unmapBundle(bundle);
    const s07 = dosing(episode, 's-07');
    expect(s07.product).toBe('esketamine');
    expect(s07.form).toBeUndefined();
    expect(s07.deviceCount).toBeUndefined();
    expect(ignored).toEqual(
      expect.arrayContaining([
        { resourceType: 'MedicationAdministration', location: `Bundle.entry[${at}].resource.contained[0]`, reason: 'unsupported-element' },
        { resourceType: 'MedicationAdministration', location: `Bundle.entry[${at}].resource.extension`, reason: 'invalid-value' },
      ])
    );
  });

  test('derived PHQ-9 item 9 and change Observations are skipped without derivedFrom, even without a profile', () => {
    const ep = parsed();
    const bundle = bundleOf(ep);
    const derived = (bundle.entry ?? [])
      .map((e) => e.resource as Observation)
      .filter((r) => r.resourceType === 'Observation' && r.meta?.profile?.some((p) => /phq9-item9|change-from-baseline/.test(p)));
    expect(derived.length).toBeGreaterThan(0);
    derived.forEach((o, i) => {
      delete o.derivedFrom;
      if (i % 2 === 0) {
        delete o.meta;
      }
    });
    const { episode, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    expect(episode).toEqual(ep);
  });

  test('"none" beside listed medications, "none known" beside a present item: the "none" is left out and listed', () => {
    const bundle = bundleOf(parsed());
    const none = find(bundle, 'MedicationStatement', 's-03-med-none') as MedicationStatement;
    const other = JSON.parse(JSON.stringify(find(bundle, 'MedicationStatement', 's-07-med-m-1'))) as MedicationStatement;
    other.context = none.context;
    other.identifier = [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0c9b3c55-2f0e-4c1b-9d51-6ad7f1f4f2aa' }];
    other.id = 'ehr-med-9';
    bundle.entry?.push({ fullUrl: 'https://ehr.example.org/fhir/MedicationStatement/ehr-med-9', resource: other });
    const noneKnown = find(bundle, 'Observation', 's-03-screen-none-known') as Observation;
    const pregnancy = find(bundle, 'Observation', 's-03-screen-pregnancy') as Observation;
    pregnancy.valueBoolean = true;
    const { episode, ignored } = unmapBundle(bundle);
    const s03 = dosing(episode, 's-03');
    expect(s03.medicationReview).toEqual({
      reviewedAt: '2026-03-06T09:00:00-05:00', // the first statement's
      none: false,
      medications: [{ id: 'ehr-med-9', class: 'benzodiazepine', status: 'on-hold' }],
    });
    expect(s03.screening).toEqual({ screenedAt: '2026-03-06T09:00:00-05:00', noneKnown: false, findings: { pregnancy: 'present' } });
    expect(ignored).toEqual(
      expect.arrayContaining([
        { resourceType: 'MedicationStatement', location: `Bundle.entry[${entryIndex(bundle, none)}].resource.medicationCodeableConcept`, reason: 'invalid-value' },
        { resourceType: 'Observation', location: `Bundle.entry[${entryIndex(bundle, noneKnown)}].resource.valueBoolean`, reason: 'invalid-value' },
      ])
    );
  });

  test('an AdverseEvent seriousness outside the HL7 codes is listed; the side effect stays', () => {
    const bundle = bundleOf(parsed());
    const ae = find(bundle, 'AdverseEvent', 'ae-3') as AdverseEvent;
    ae.seriousness = { coding: [{ system: 'http://example.org/seriousness', code: 'grave' }] };
    const { episode, ignored } = unmapBundle(bundle);
    const se = dosing(episode, 's-03').sideEffects.find((x) => x.id === 'ae-3');
    expect(se).toEqual({ id: 'ae-3', effect: 'elevated-blood-pressure', severity: 'severe', outcome: 'resolved-with-sequelae' });
    expect(ignored).toEqual([
      { resourceType: 'AdverseEvent', location: `Bundle.entry[${entryIndex(bundle, ae)}].resource.seriousness`, reason: 'unknown-code' },
    ]);
  });

  const mg = (value: number): { value: number; unit: string; system: string; code: string } => ({ value, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });
  const days = (value: number): { value: number; unit: string; system: string; code: string } => ({ value, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' });

  test('the minimum interval reads from maxDosePerPeriod = the prescribed dose per N days (no timing)', () => {
    const ep = parsed();
    const bundle = bundleOf(ep);
    const dosage = (find(bundle, 'MedicationRequest', 'rx-3') as MedicationRequest).dosageInstruction?.[0];
    delete dosage?.timing;
    Object.assign(dosage ?? {}, { maxDosePerPeriod: { numerator: mg(84), denominator: days(3) } });
    const { episode, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    expect(episode).toEqual(ep);
  });

  test('the minimum interval also reads from timing.repeat once per N days (what kap-fhir wrote before, or an EHR sends)', () => {
    const ep = parsed();
    const bundle = bundleOf(ep);
    const dosage = (find(bundle, 'MedicationRequest', 'rx-3') as MedicationRequest).dosageInstruction?.[0];
    expect(dosage?.maxDosePerPeriod?.denominator).toEqual(days(3));
    delete dosage?.maxDosePerPeriod;
    Object.assign(dosage ?? {}, { timing: { repeat: { frequency: 1, period: 3, periodUnit: 'd' } } });
    const { episode, ignored } = unmapBundle(bundle);
    expect(ignored).toEqual([]);
    expect(episode).toEqual(ep);
  });

  test.each([
    ['a limit that is not one dose (168 mg per 3 days)', { numerator: mg(168), denominator: days(3) }, undefined, undefined],
    ['a limit per hours', { numerator: mg(84), denominator: { value: 72, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' } }, undefined, undefined],
    ['a limit that disagrees with the timing (kept)', { numerator: mg(84), denominator: days(5) }, 3, 3],
  ])('maxDosePerPeriod: %s is listed, never guessed', (_name, maxDosePerPeriod, timingDays, expected) => {
    const bundle = bundleOf(parsed());
    const mr = find(bundle, 'MedicationRequest', 'rx-3') as MedicationRequest;
    const dosage = mr.dosageInstruction?.[0];
    if (timingDays !== undefined) {
      Object.assign(dosage ?? {}, { timing: { repeat: { frequency: 1, period: timingDays, periodUnit: 'd' } } });
    }
    Object.assign(dosage ?? {}, { maxDosePerPeriod });
    const { episode, ignored } = unmapBundle(bundle);
    expect(episode.prescriptions.find((p) => p.id === 'rx-3')?.minIntervalDays).toBe(expected);
    expect(ignored).toEqual([
      { resourceType: 'MedicationRequest', location: `Bundle.entry[${entryIndex(bundle, mr)}].resource.dosageInstruction[0].maxDosePerPeriod`, reason: 'unsupported-element' },
    ]);
  });

  test('sedation, respiratory depression, discharge and plan Observations carry their profiles and come back', () => {
    const ep = parsed();
    const bundle = bundleOf(ep);
    expect(find(bundle, 'Observation', 'v-6').meta?.profile).toEqual([PROFILES.sedationScore]);
    expect(find(bundle, 'Observation', 's-03-plan').meta?.profile).toEqual([PROFILES.dosingPlan]);
    const s03 = dosing(unmapBundle(bundle).episode, 's-03');
    expect(s03.vitals.find((v) => v.id === 'v-6')).toEqual({ id: 'v-6', time: '2026-03-06T09:40:00-05:00', phase: 'during-dose', kind: 'sedation', moaas: 3 });
    expect(s03.respiratoryDepression).toEqual({ observed: false, time: '2026-03-06T10:00:00-05:00' });
    expect(s03.discharge).toEqual({ criteriaMet: true, readyAt: '2026-03-06T11:20:00-05:00', transport: 'responsible-adult' });
  });
});

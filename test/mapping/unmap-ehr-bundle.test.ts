/**
 * The way back on Bundles that did not come from kap-fhir unchanged: an EHR's searchset with server ids
 * and relative references, extra and missing optional data. What can be recovered is; the rest is listed
 * in `ignored` (type, location, reason; never a value).
 */
import { parseIdentifierValue } from '../../src/identity/record-identity.js';
import { describe, expect, test } from '@jest/globals';
import type { Bundle, BundleEntry, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { mapEpisode } from '../../src/fhir/index.js';
import { unmapBundle } from '../../src/fhir/reverse/index.js';
import { parseEpisode, type KapEpisode } from '../../src/kap/index.js';
import { OperationOutcomeError } from '../../src/outcomes.js';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { EXAMPLES_DIR, readJson } from './example-files.js';

function example(name: string): KapEpisode {
  const r = parseEpisode(readJson(`${EXAMPLES_DIR}/${name}`));
  if (!r.ok) {
    throw new Error('example does not parse');
  }
  return r.episode;
}

/** Deep copy (tests never mutate what mapEpisode returned). */
function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function ownValue(r: Resource, system: string): string | undefined {
  const ids = (r as { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] }).identifier;
  const value = (Array.isArray(ids) ? ids : ids ? [ids] : []).find((i) => i.system === system)?.value;
  return value === undefined ? undefined : parseIdentifierValue(value).localId;
}

/**
 * Turns our transaction Bundle into what an EHR search returns: searchset, server ids, absolute
 * fullUrls, relative `Type/id` references, no request, no Provenance.
 */
function asEhrSearchset(bundle: Bundle): Bundle {
  const b = clone(bundle);
  const serverUrl = new Map<string, string>();
  const entries = (b.entry ?? []).filter((e) => e.resource?.resourceType !== 'Provenance');
  entries.forEach((e, i) => {
    const r = e.resource as Resource;
    r.id = `srv-${1000 + i}`;
    serverUrl.set(e.fullUrl as string, `${r.resourceType}/${r.id}`);
  });
  const rewrite = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(rewrite);
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.reference === 'string' && serverUrl.has(o.reference)) {
        o.reference = serverUrl.get(o.reference);
      }
      Object.values(o).forEach(rewrite);
    }
  };
  const out: BundleEntry[] = entries.map((e) => {
    const resource = e.resource as Resource;
    rewrite(resource);
    return { fullUrl: `https://ehr.example.org/fhir/${serverUrl.get(e.fullUrl as string)}`, resource, search: { mode: 'match' } };
  });
  return { resourceType: 'Bundle', type: 'searchset', total: out.length, entry: out };
}

function entryOf(b: Bundle, pred: (r: Resource) => boolean): { index: number; resource: Resource } {
  const index = (b.entry ?? []).findIndex((e) => e.resource && pred(e.resource));
  if (index < 0) {
    throw new Error('test setup: entry not found');
  }
  return { index, resource: (b.entry ?? [])[index].resource as Resource };
}

describe('unmap of an EHR searchset with extra and missing data', () => {
  const original = example('iv-ketamine-trd.json');
  const system = clinicIdentifierSystem(original.clinic.id);
  const b = asEhrSearchset(mapEpisode(original));
  const byId = (type: string, value: string) => (r: Resource) => r.resourceType === type && ownValue(r, system) === value;

  // 1. Patient: no telecom, an address, an unknown extension
  const patient = entryOf(b, (r) => r.resourceType === 'Patient');
  const p = patient.resource as Patient;
  delete p.telecom;
  p.address = [{ city: 'Exampleville', state: 'OR' }];
  p.extension = [{ url: 'http://ehr.example.org/fhir/StructureDefinition/preferred-pharmacy', valueString: 'Example Pharmacy' }];
  // 2. EpisodeOfCare: no kap-source-version (version defaults to 1); lastUpdated gives updatedAt (no Provenance)
  const eoc = entryOf(b, (r) => r.resourceType === 'EpisodeOfCare');
  delete (eoc.resource as { extension?: unknown }).extension;
  eoc.resource.meta = { ...eoc.resource.meta, lastUpdated: '2026-05-29T08:00:00-04:00' };
  // 3. a vital sign without our identifier: its KAP id becomes the server id
  const vital = entryOf(b, byId('Observation', 's-03-v04'));
  delete (vital.resource as Observation).identifier;
  vital.resource.id = 'obs-9001';
  (b.entry ?? [])[vital.index].fullUrl = 'https://ehr.example.org/fhir/Observation/obs-9001';
  // 4. an extra Observation type in a dosing encounter (body temperature) and an unrelated resource type
  const encounterRef = (vital.resource as Observation).encounter;
  const temperature: Observation = {
    resourceType: 'Observation',
    id: 'obs-9002',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5', display: 'Body temperature' }] },
    subject: { reference: `Patient/${p.id}` },
    encounter: encounterRef,
    effectiveDateTime: '2026-04-13T09:10:00-04:00',
    valueQuantity: { value: 36.8, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
  };
  b.entry?.push({ fullUrl: 'https://ehr.example.org/fhir/Observation/obs-9002', resource: temperature });
  b.entry?.push({
    fullUrl: 'https://ehr.example.org/fhir/AllergyIntolerance/al-1',
    resource: { resourceType: 'AllergyIntolerance', id: 'al-1', patient: { reference: `Patient/${p.id}` } },
  });
  // 5. a dissociation score missing (optional) and a side effect coded outside the KAP list
  const cadss = entryOf(b, byId('Observation', 's-05-cadss6'));
  b.entry?.splice(cadss.index, 1);
  const ae = entryOf(b, byId('AdverseEvent', 's-03-se-2'));
  (ae.resource as { event: unknown }).event = { coding: [{ system: 'http://snomed.info/sct', code: '267036007' }] };

  // 6. links an EHR may leave out or make logical: a vital tied to the dose only (partOf, no encounter),
  //    a performer referenced by business identifier instead of a literal reference
  delete (entryOf(b, byId('Observation', 's-03-v05')).resource as Observation).encounter;
  const ma = entryOf(b, byId('MedicationAdministration', 's-05')).resource as { performer: { actor: unknown }[] };
  ma.performer[0].actor = { type: 'Practitioner', identifier: { system, value: 'pr-nurse-1' } };

  const { episode, ignored } = unmapBundle(b);

  test('recovers the episode minus what is missing', () => {
    const expected = clone(original);
    delete expected.patient.contact;
    expected.version = 1;
    expected.updatedAt = '2026-05-29T08:00:00-04:00';
    const s03 = expected.sessions.find((s) => s.id === 's-03');
    const s05 = expected.sessions.find((s) => s.id === 's-05');
    if (s03?.kind !== 'dosing' || s05?.kind !== 'dosing') {
      throw new Error('test setup');
    }
    s03.vitals = s03.vitals.map((v) => (v.id === 's-03-v04' ? { ...v, id: 'obs-9001' } : v));
    s03.sideEffects = s03.sideEffects.filter((e) => e.id !== 's-03-se-2');
    delete s05.dissociation;
    expect(episode).toEqual(expected);
  });

  test('lists what was ignored: locations and reasons, no values', () => {
    const at = (type: string, pred: (r: Resource) => boolean): string => `Bundle.entry[${entryOf(b, (r) => r.resourceType === type && pred(r)).index}].resource`;
    expect(ignored).toEqual(
      expect.arrayContaining([
        { resourceType: 'Patient', location: `${at('Patient', () => true)}.extension[0]`, reason: 'unknown-extension' },
        { resourceType: 'Patient', location: `${at('Patient', () => true)}.address`, reason: 'unsupported-element' },
        { resourceType: 'EpisodeOfCare', location: `${at('EpisodeOfCare', () => true)}.extension`, reason: 'defaulted' },
        { resourceType: 'Observation', location: `${at('Observation', (r) => r.id === 'obs-9002')}.code`, reason: 'unknown-code' },
        { resourceType: 'AllergyIntolerance', location: at('AllergyIntolerance', () => true), reason: 'unsupported-resource' },
        { resourceType: 'AdverseEvent', location: `${at('AdverseEvent', byId('AdverseEvent', 's-03-se-2'))}.event`, reason: 'unknown-code' },
      ])
    );
    expect(ignored).toHaveLength(6);
    const text = JSON.stringify(ignored);
    for (const value of ['Exampleville', 'Example Pharmacy', '267036007', 'Testperson', '36.8']) {
      expect(text).not.toContain(value);
    }
  });
});

describe('unmap of other Bundle shapes', () => {
  const original = example('sublingual-lozenge-ptsd.json');

  test('a collection Bundle with our urn:uuid entries maps back exactly', () => {
    const b = clone(mapEpisode(original));
    b.type = 'collection';
    for (const e of b.entry ?? []) {
      delete e.request;
    }
    expect(unmapBundle(b)).toEqual({ episode: original, ignored: [] });
  });

  test('a searchset with nothing to date the episode (no Provenance, no lastUpdated) is refused on updatedAt', () => {
    const outcome = refusal(asEhrSearchset(mapEpisode(original)));
    expect(outcome.issue?.map((i) => [i.code, i.expression?.[0]])).toEqual([['required', 'updatedAt']]);
  });

  test('input that is not a Bundle is refused', () => {
    expect(refusal({ resourceType: 'Patient' }).issue?.[0]).toMatchObject({ code: 'invalid', expression: ['Bundle'] });
    expect(refusal(readJson(`${EXAMPLES_DIR}/esketamine-mdd.json`)).issue?.[0]).toMatchObject({ code: 'invalid' });
    expect(refusal(null).issue?.[0]).toMatchObject({ code: 'invalid' });
  });

  test('a Bundle without a Patient or an EpisodeOfCare is refused, naming what is missing', () => {
    const full = mapEpisode(original);
    const without = (type: string): Bundle => ({ ...full, entry: (full.entry ?? []).filter((e) => e.resource?.resourceType !== type) });
    expect(refusal(without('Patient')).issue?.[0]).toMatchObject({ code: 'required', expression: ['Bundle.entry.resource.ofType(Patient)'] });
    expect(refusal(without('EpisodeOfCare')).issue?.[0]).toMatchObject({
      code: 'required',
      expression: ['Bundle.entry.resource.ofType(EpisodeOfCare)'],
    });
  });

  test('a Bundle whose Conditions are all outside the KAP list is refused on indications', () => {
    const b = clone(mapEpisode(original));
    for (const e of b.entry ?? []) {
      if (e.resource?.resourceType === 'Condition') {
        e.resource.code = { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }] };
      }
    }
    expect(refusal(b).issue?.map((i) => i.expression?.[0])).toEqual(['indications']);
  });
});

function refusal(input: unknown): import('@medplum/fhirtypes').OperationOutcome {
  try {
    unmapBundle(input);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return err.outcome;
    }
    throw err;
  }
  throw new Error('expected an OperationOutcomeError');
}

describe('unmap skips derived safety signals', () => {
  test('a Bundle with the DetectedIssue + Communication of each urgent signal maps back to the same episode', async () => {
    const { detectSignals, signalEntries } = await import('../../src/safety/index.js');
    const original = example('urgent-signals.json');
    const bundle = mapEpisode(original);
    const extra = signalEntries(bundle, detectSignals(bundle));
    expect(extra.length).toBeGreaterThanOrEqual(6); // three urgent signals, two resources each
    const withSignals: Bundle = { ...bundle, entry: [...(bundle.entry ?? []), ...extra] };
    expect(unmapBundle(withSignals)).toEqual({ episode: original, ignored: [] });
  });

  test('a DetectedIssue that is not ours is listed as unsupported', () => {
    const original = example('urgent-signals.json');
    const bundle = mapEpisode(original);
    const foreign: BundleEntry = { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: { resourceType: 'DetectedIssue', status: 'final' } };
    const { ignored } = unmapBundle({ ...bundle, entry: [...(bundle.entry ?? []), foreign] });
    expect(ignored).toEqual([
      { resourceType: 'DetectedIssue', location: `Bundle.entry[${(bundle.entry ?? []).length}].resource`, reason: 'unsupported-resource' },
    ]);
  });
});

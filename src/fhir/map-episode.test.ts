import { beforeAll, describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import type { Bundle, Observation, Reference, Resource } from '@medplum/fhirtypes';
import { kapEpisodeSchema } from '../kap/episode.js';
import { detailedEpisode } from './__test__/detailed-episode.js';
import { fixtureEpisode } from './__test__/fixture-episode.js';
import { find, fullUrlIn, identifierValue, mapInput, mappedFixture, parsedFixture } from './__test__/mapped.js';
import { loadBaseDefinitions } from './definitions.js';
import { mapEpisode } from './map-episode.js';

const CLINIC_SYSTEM = 'https://kap-fhir.org/fhir/clinic/sunrise-kap';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';

/** Every `reference` string anywhere in a value. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') {
        out.push(v);
      } else {
        references(v, out);
      }
    }
  }
  return out;
}

const resources = (b: Bundle): Resource[] => (b.entry ?? []).map((e) => e.resource as Resource);

/** Every reference of every entry is an entry's urn:uuid, or `#id` of a resource contained in that same entry. */
function expectReferencesResolve(b: Bundle): void {
  const fullUrls = new Set((b.entry ?? []).map((e) => e.fullUrl));
  for (const r of resources(b)) {
    const contained = new Set(((r as { contained?: Resource[] }).contained ?? []).map((c) => `#${c.id ?? ''}`));
    for (const ref of references(r)) {
      if (ref.startsWith('#')) {
        expect(contained.has(ref)).toBe(true);
      } else {
        expect(ref).toMatch(/^urn:uuid:/);
        expect(fullUrls.has(ref)).toBe(true);
      }
    }
  }
}

describe('mapEpisode', () => {
  const bundle = mappedFixture();

  beforeAll(() => loadBaseDefinitions());

  test('is a transaction Bundle identified by episode and version, without lastUpdated', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('transaction');
    expect(bundle.identifier).toEqual({ system: CLINIC_SYSTEM, value: 'episode-ep-1001-v3' });
    expect(bundle.meta).toBeUndefined();
  });

  test('mapping twice gives byte-identical JSON (also from a fresh parse of the same input)', () => {
    const again = mapEpisode(kapEpisodeSchema.parse(fixtureEpisode()));
    expect(JSON.stringify(again)).toBe(JSON.stringify(bundle));
    expect(JSON.stringify(mapEpisode(parsedFixture()))).toBe(JSON.stringify(bundle));
  });

  test('entry order does not depend on input order', () => {
    const ep = fixtureEpisode();
    ep.sessions?.reverse();
    ep.careTeam.reverse();
    ep.questionnaires?.reverse();
    const urls = (b: Bundle): (string | undefined)[] => (b.entry ?? []).map((e) => e.fullUrl);
    expect(urls(mapEpisode(kapEpisodeSchema.parse(ep)))).toEqual(urls(bundle));
  });

  test('a different episode version changes only the version key', () => {
    const ep = fixtureEpisode();
    ep.version = 4;
    const b = mapEpisode(kapEpisodeSchema.parse(ep));
    expect(b.identifier?.value).toBe('episode-ep-1001-v4');
    expect(find(b, 'EpisodeOfCare', 'ep-1001').extension).toEqual([{ url: `${SD}kap-source-version`, valueInteger: 4 }]);
  });

  test('every resource passes validateResource against base R4', () => {
    for (const r of resources(bundle)) {
      expect(() => validateResource(r)).not.toThrow();
    }
    expect(() => validateResource(bundle)).not.toThrow();
  });

  test('validateResource does catch a broken resource (the check above can fail)', () => {
    const obs = structuredClone(find(bundle, 'Observation', 'v-2')) as Partial<Observation>;
    delete obs.status;
    expect(() => validateResource(obs as Observation)).toThrow();
  });

  test('every entry: urn:uuid fullUrl, identifier (or Provenance tag), conditional PUT on it, no id', () => {
    const seen = new Set<string>();
    for (const e of bundle.entry ?? []) {
      const r = e.resource as Resource;
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(seen.has(e.fullUrl as string)).toBe(false);
      seen.add(e.fullUrl as string);
      expect(r.id).toBeUndefined();
      expect(e.request?.method).toBe('PUT');
      if (r.resourceType === 'Provenance') {
        expect(r.meta?.tag).toEqual([{ system: CLINIC_SYSTEM, code: 'episode-ep-1001-v3' }]);
        expect(e.request?.url).toBe(`Provenance?_tag=${encodeURIComponent(`${CLINIC_SYSTEM}|episode-ep-1001-v3`)}`);
        continue;
      }
      const value = identifierValue(r);
      expect(value).toBeTruthy();
      expect(e.request?.url).toBe(`${r.resourceType}?identifier=${encodeURIComponent(`${CLINIC_SYSTEM}|${value}`)}`);
    }
  });

  test('identifiers are unique per resource type', () => {
    const keys = resources(bundle).map((r) => `${r.resourceType}|${identifierValue(r) ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('every reference is a urn:uuid that resolves to an entry, or #id of a resource contained in the same resource', () => {
    expectReferencesResolve(bundle);
    expect(references(resources(bundle)).length).toBeGreaterThan(50);
  });

  test('references point at the right resource', () => {
    const target = (ref: Reference | undefined): Resource | undefined =>
      bundle.entry?.find((e) => e.fullUrl === ref?.reference)?.resource;
    const ma = find(bundle, 'MedicationAdministration', 's-03');
    expect(target(ma.request)).toBe(find(bundle, 'MedicationRequest', 'rx-1'));
    expect(target(ma.context)).toBe(find(bundle, 'Encounter', 's-03'));
    expect(target(ma.performer?.[0].actor)).toBe(find(bundle, 'Practitioner', 'pr-nurse-1'));
    expect(target(ma.supportingInformation?.[0])).toBe(find(bundle, 'Observation', 's-03-weight'));
    expect(target(ma.subject)).toBe(find(bundle, 'Patient', 'pt-0042'));
    expect(target(find(bundle, 'Observation', 'v-3').partOf?.[0])).toBe(ma);
    expect(target(find(bundle, 'Procedure', 's-03').partOf?.[0])).toBe(ma);
    expect(target(find(bundle, 'AdverseEvent', 'ae-1').suspectEntity?.[0].instance)).toBe(ma);
    expect(target(find(bundle, 'Observation', 'qr-1').derivedFrom?.[0])).toBe(find(bundle, 'QuestionnaireResponse', 'qr-1'));
    expect(target(find(bundle, 'EpisodeOfCare', 'ep-1001').team?.[0])).toBe(find(bundle, 'CareTeam', 'ep-1001'));
    expect(target(find(bundle, 'MedicationAdministration', 's-04').request)).toBe(find(bundle, 'MedicationRequest', 'rx-1'));
  });

  test('entries are sorted by dependency rank, then identifier value; Provenance last and targets all', () => {
    const types = resources(bundle).map((r) => r.resourceType);
    expect([...new Set(types)]).toEqual([
      'Organization',
      'Practitioner',
      'Patient',
      'CareTeam',
      'Condition',
      'EpisodeOfCare',
      'MedicationRequest',
      'Encounter',
      'MedicationAdministration',
      'Procedure',
      'QuestionnaireResponse',
      'Observation',
      'AdverseEvent',
      'Provenance',
    ]);
    const obs = resources(bundle).filter((r) => r.resourceType === 'Observation').map(identifierValue);
    expect(obs).toEqual(
      ['qr-1', 'qr-1-item9', 's-03-cadss6', 's-03-weight', 'v-1', 'v-2', 'v-3', 'v-4', 'v-5'].map((id) => `ep-1001/${id}`)
    );
    const last = resources(bundle).at(-1);
    expect(last?.resourceType).toBe('Provenance');
    const targets = last?.resourceType === 'Provenance' ? last.target.map((t) => t.reference) : [];
    expect(targets).toEqual((bundle.entry ?? []).slice(0, -1).map((e) => e.fullUrl));
    expect(last?.resourceType === 'Provenance' && last.recorded).toBe('2026-03-20T17:00:00-05:00');
  });

  test('every resource but Practitioner/Organization/CareTeam/Provenance declares its KAP profile', () => {
    const profile = (r: Resource): string | undefined => r.meta?.profile?.[0]?.replace(SD, '');
    expect(profile(find(bundle, 'Patient', 'pt-0042'))).toBe('kap-patient');
    expect(profile(find(bundle, 'EpisodeOfCare', 'ep-1001'))).toBe('kap-episode');
    expect(profile(find(bundle, 'Condition', 'dx-1'))).toBe('kap-condition');
    expect(profile(find(bundle, 'MedicationRequest', 'rx-1'))).toBe('kap-ketamine-prescription');
    expect(profile(find(bundle, 'MedicationAdministration', 's-03'))).toBe('kap-ketamine-administration');
    expect(profile(find(bundle, 'Procedure', 's-02'))).toBe('kap-psychotherapy-session');
    expect(profile(find(bundle, 'Encounter', 's-01'))).toBe('kap-session-encounter');
    expect(profile(find(bundle, 'Observation', 'v-1'))).toBe('kap-blood-pressure');
    expect(profile(find(bundle, 'Observation', 'v-2'))).toBe('kap-heart-rate');
    expect(profile(find(bundle, 'Observation', 'v-3'))).toBe('kap-oxygen-saturation');
    expect(profile(find(bundle, 'Observation', 'v-4'))).toBe('kap-respiratory-rate');
    expect(profile(find(bundle, 'Observation', 's-03-weight'))).toBe('kap-body-weight');
    expect(profile(find(bundle, 'Observation', 'qr-1'))).toBe('kap-instrument-score');
    expect(profile(find(bundle, 'Observation', 's-03-cadss6'))).toBe('kap-dissociation-score');
    expect(profile(find(bundle, 'QuestionnaireResponse', 'qr-1'))).toBe('kap-questionnaire-response');
    expect(profile(find(bundle, 'AdverseEvent', 'ae-1'))).toBe('kap-side-effect');
    for (const r of resources(bundle)) {
      if (['Practitioner', 'Organization', 'CareTeam', 'Provenance'].includes(r.resourceType)) {
        expect(r.meta?.profile).toBeUndefined();
      } else {
        expect(r.meta?.profile).toHaveLength(1);
      }
    }
  });

  test('no PHI in references: a reference carries only its urn:uuid', () => {
    const text = JSON.stringify(resources(bundle).filter((r) => r.resourceType !== 'Patient' && r.resourceType !== 'Practitioner'));
    expect(text).not.toMatch(/Avery|Testperson|1984-07-19|MRN-55501|avery@example\.org/);
  });
});

describe('mapping details', () => {
  const bundle = mappedFixture();

  test('an instrument that refuses to score gets a QuestionnaireResponse and no total Observation', () => {
    expect(find(bundle, 'QuestionnaireResponse', 'qr-3').item?.map((i) => i.linkId)).toEqual(['gad7-1', 'gad7-2']);
    expect(() => find(bundle, 'Observation', 'qr-3')).toThrow();
    expect(() => find(bundle, 'Observation', 'qr-2')).toThrow();
  });

  test('unanswered items are omitted from the QuestionnaireResponse', () => {
    expect(find(bundle, 'QuestionnaireResponse', 'qr-2').item?.map((i) => i.linkId)).toEqual([
      'gad7-1',
      'gad7-2',
      'gad7-4',
      'gad7-5',
      'gad7-6',
      'gad7-7',
    ]);
  });

  test('the QuestionnaireResponse is tied to its session encounter only when it has one', () => {
    expect(find(bundle, 'QuestionnaireResponse', 'qr-1').encounter?.reference).toBe(
      fullUrlIn(bundle, find(bundle, 'Encounter', 's-01'))
    );
    expect(find(bundle, 'QuestionnaireResponse', 'qr-2').encounter).toBeUndefined();
  });

  test('an instrument total of a complete GAD-7 is mapped with its band', () => {
    const ep = fixtureEpisode();
    ep.questionnaires = [{ id: 'qr-9', instrument: 'gad7', authored: '2026-03-02T09:40:00-05:00', answers: [3, 3, 3, 3, 3, 3, 3] }];
    const o = find(mapEpisode(kapEpisodeSchema.parse(ep)), 'Observation', 'qr-9');
    expect([o.valueInteger, o.interpretation?.[0].coding?.[0].code, o.effectiveDateTime]).toEqual([
      21,
      'severe',
      '2026-03-02T09:40:00-05:00',
    ]);
  });

  test('the C-SSRS screener (no total) gives its risk level as valueCodeableConcept', () => {
    const ep = fixtureEpisode();
    ep.questionnaires = [
      {
        id: 'qr-c',
        instrument: 'cssrs-screen',
        authored: '2026-03-02T09:40:00-05:00',
        answers: { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-6': 0 },
      },
    ];
    const o = find(mapEpisode(kapEpisodeSchema.parse(ep)), 'Observation', 'qr-c');
    expect(o.valueInteger).toBeUndefined();
    expect(o.valueCodeableConcept?.coding?.[0]).toMatchObject({ code: 'low' });
    expect(o.code.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '93374-7' });
  });

  test('the dissociation phase is derived from its time', () => {
    const phase = (time: string): string | undefined => {
      const ep = fixtureEpisode();
      const s = ep.sessions?.[2];
      if (s?.kind === 'dosing' && s.dissociation) {
        s.dissociation.time = time;
      }
      return find(mapEpisode(kapEpisodeSchema.parse(ep)), 'Observation', 's-03-cadss6').extension?.[0].valueCode;
    };
    expect(phase('2026-03-06T09:14:59-05:00')).toBe('pre-dose');
    expect(phase('2026-03-06T09:15:00-05:00')).toBe('during-dose');
    expect(phase('2026-03-06T09:55:00-05:00')).toBe('during-dose');
    expect(phase('2026-03-06T09:55:01-05:00')).toBe('post-dose');
  });

  test('CPT by psychotherapy duration: 15 → none, 16 → 90832, 37 → 90832, 38 → 90834, 52 → 90834, 53 → 90837', () => {
    const cpt = (minutes: number): string | undefined => {
      const ep = fixtureEpisode();
      const s = ep.sessions?.[1];
      if (s) {
        s.end = new Date(Date.parse('2026-03-04T14:00:00Z') + minutes * 60000).toISOString().replace('.000Z', 'Z');
      }
      return find(mapEpisode(kapEpisodeSchema.parse(ep)), 'Procedure', 's-02').code?.coding?.[1]?.code;
    };
    expect([15, 16, 37, 38, 52, 53, 90].map(cpt)).toEqual([undefined, '90832', '90832', '90834', '90834', '90837', '90837']);
  });

  test('a planned session (no end): Encounter planned, Procedure in preparation, no CPT', () => {
    const ep = fixtureEpisode();
    delete ep.sessions?.[4].end;
    const b = mapEpisode(kapEpisodeSchema.parse(ep));
    expect(find(b, 'Encounter', 's-05').status).toBe('planned');
    expect(find(b, 'Encounter', 's-05').period).toEqual({ start: '2026-03-07T09:00:00-05:00' });
    expect(find(b, 'Procedure', 's-05').status).toBe('preparation');
    expect(find(b, 'Procedure', 's-05').code?.coding).toHaveLength(1);
    expect(find(b, 'Encounter', 's-06').status).toBe('planned');
  });

  test('assessment and follow-up sessions have no Procedure', () => {
    expect(() => find(bundle, 'Procedure', 's-01')).toThrow();
    expect(() => find(bundle, 'Procedure', 's-06')).toThrow();
  });

  test('dosing: effectivePeriod with a dose end, effectiveDateTime without; mg/kg → mg total; lot number', () => {
    const ma = find(bundle, 'MedicationAdministration', 's-03');
    expect(ma.effectivePeriod).toEqual({ start: '2026-03-06T09:15:00-05:00', end: '2026-03-06T09:55:00-05:00' });
    expect(ma.extension).toEqual([{ url: `${SD}kap-lot-number`, valueString: 'KX2291' }]);
    const mg = find(bundle, 'MedicationAdministration', 's-04');
    expect(mg.effectiveDateTime).toBe('2026-03-09T09:10:00-05:00');
    expect(mg.dosage?.dose?.value).toBe(35);
    expect(mg.dosage?.extension).toBeUndefined();
    expect(mg.supportingInformation).toBeUndefined();
    expect(() => find(bundle, 'Observation', 's-04-weight')).toThrow();
  });

  test('dischargedAt → Encounter.statusHistory; monitoredBy → dosing Procedure performers', () => {
    expect(find(bundle, 'Encounter', 's-03').statusHistory).toEqual([
      { status: 'finished', period: { start: '2026-03-06T11:30:00-05:00' } },
    ]);
    const performers = find(bundle, 'Procedure', 's-03').performer?.map((p) => p.actor.reference);
    expect(performers).toEqual([
      fullUrlIn(bundle, find(bundle, 'Practitioner', 'pr-therapist-1')),
      fullUrlIn(bundle, find(bundle, 'Practitioner', 'pr-nurse-1')),
    ]);
  });

  test('an external prescriber has no onBehalfOf; clinic members act for the clinic', () => {
    const ct = find(bundle, 'CareTeam', 'ep-1001');
    const org = fullUrlIn(bundle, find(bundle, 'Organization', 'sunrise-kap'));
    expect(ct.participant?.map((p) => p.onBehalfOf?.reference)).toEqual([org, undefined, org]);
  });

  test('extra resources (e.g. safety signals) are sorted in by rank and targeted by the Provenance', () => {
    const issue = {
      resourceType: 'DetectedIssue' as const,
      identifier: [{ system: CLINIC_SYSTEM, value: 'signal-x-v-1' }],
      status: 'final' as const,
    };
    const b = mapEpisode(parsedFixture(), [issue]);
    const types = resources(b).map((r) => r.resourceType);
    expect(types.slice(-2)).toEqual(['DetectedIssue', 'Provenance']);
    const prov = resources(b).at(-1);
    const url = b.entry?.at(-2)?.fullUrl;
    expect(prov?.resourceType === 'Provenance' && prov.target.map((t) => t.reference)).toContain(url);
    expect(b.entry?.at(-2)?.request?.url).toBe(`DetectedIssue?identifier=${encodeURIComponent(`${CLINIC_SYSTEM}|signal-x-v-1`)}`);
  });

  test('an episode with no sessions, prescriptions or questionnaires maps and validates', () => {
    loadBaseDefinitions();
    const ep = fixtureEpisode();
    ep.sessions = [];
    ep.prescriptions = [];
    ep.questionnaires = [];
    const b = mapEpisode(kapEpisodeSchema.parse(ep));
    expect(resources(b).map((r) => r.resourceType)).toEqual([
      'Organization',
      'Practitioner',
      'Practitioner',
      'Practitioner',
      'Patient',
      'CareTeam',
      'Condition',
      'Condition',
      'EpisodeOfCare',
      'Provenance',
    ]);
    for (const r of resources(b)) {
      expect(() => validateResource(r)).not.toThrow();
    }
  });
});

describe('mapEpisode with every element of issue 13 (the detailed fixture)', () => {
  const bundle = mapInput(detailedEpisode());
  beforeAll(() => loadBaseDefinitions());

  test('every resource (contained Medications included) passes validateResource against base R4', () => {
    for (const r of resources(bundle)) {
      expect(() => validateResource(r)).not.toThrow();
    }
  });

  test('every reference resolves; identifiers are unique per type', () => {
    expectReferencesResolve(bundle);
    const keys = resources(bundle).map((r) => `${r.resourceType}|${identifierValue(r) ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('deterministic, and MedicationStatement sorts between MedicationAdministration and Procedure', () => {
    expect(JSON.stringify(mapInput(detailedEpisode()))).toBe(JSON.stringify(bundle));
    const reversed = mapInput(detailedEpisode(), (ep) => {
      ep.sessions?.reverse();
      ep.prescriptions?.reverse();
    });
    expect((reversed.entry ?? []).map((e) => e.fullUrl)).toEqual((bundle.entry ?? []).map((e) => e.fullUrl));
    const types = [...new Set(resources(bundle).map((r) => r.resourceType))];
    expect(types.slice(types.indexOf('MedicationAdministration'), types.indexOf('MedicationAdministration') + 3)).toEqual([
      'MedicationAdministration',
      'MedicationStatement',
      'Procedure',
    ]);
  });

  test('the new resources declare their profiles', () => {
    const profile = (r: Resource): string | undefined => r.meta?.profile?.[0]?.replace(SD, '');
    expect(profile(find(bundle, 'Observation', 'v-6'))).toBe('kap-sedation-score');
    expect(profile(find(bundle, 'Observation', 's-03-resp-depression'))).toBe('kap-respiratory-depression');
    expect(profile(find(bundle, 'Observation', 's-03-discharge'))).toBe('kap-discharge-readiness');
    expect(profile(find(bundle, 'Observation', 's-03-plan'))).toBe('kap-dosing-plan');
    expect(profile(find(bundle, 'Observation', 's-01-screen-pregnancy'))).toBe('kap-screening');
    expect(profile(find(bundle, 'MedicationStatement', 's-01-med-m-1'))).toBe('kap-medication-statement');
  });
});

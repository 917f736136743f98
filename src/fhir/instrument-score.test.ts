import { beforeAll, describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import type { Bundle, Observation, QuestionnaireResponse } from '@medplum/fhirtypes';
import { kapEpisodeSchema } from '../kap/episode.js';
import { KAP_OBSERVATION, LOINC } from '../terminology/systems.js';
import { fixtureEpisode } from './__test__/fixture-episode.js';
import { find } from './__test__/mapped.js';
import { loadBaseDefinitions } from './definitions.js';
import { mapEpisode } from './map-episode.js';

type Answers = Record<string, number | null>;

const PHQ9_8: Answers = { 'phq9-1': 1, 'phq9-2': 1, 'phq9-3': 1, 'phq9-4': 1, 'phq9-5': 1, 'phq9-6': 1, 'phq9-7': 1, 'phq9-8': 1 };

/** The fixture episode with only these questionnaire results, mapped. */
function mapped(...questionnaires: { id: string; instrument: string; answers: Answers }[]): Bundle {
  const ep = fixtureEpisode();
  ep.questionnaires = questionnaires.map((q) => ({ ...q, authored: '2026-03-02T09:30:00-05:00', sessionId: 's-01' })) as typeof ep.questionnaires;
  return mapEpisode(kapEpisodeSchema.parse(ep));
}

const componentsOf = (o: Observation) => (o.component ?? []).map((c) => [c.code.coding?.[0].code, c.valueInteger ?? c.valueBoolean]);

describe('PHQ-9 item 9 Observation (kap-phq9-item9)', () => {
  beforeAll(() => loadBaseDefinitions());

  test.each([
    ['fires: item 9 "Several days"', { ...PHQ9_8, 'phq9-9': 1 }, 'LA6569-3'],
    ['fires: item 9 "Not at all" (a receiver sees the no as well)', { ...PHQ9_8, 'phq9-9': 0 }, 'LA6568-5'],
  ])('%s → its own Observation with the LA coding, derived from the response', (_name, answers, la) => {
    const b = mapped({ id: 'q-a', instrument: 'phq9', answers });
    const o = find(b, 'Observation', 'q-a-item9');
    expect(o).toMatchObject({
      meta: { profile: ['https://kap-fhir.org/fhir/StructureDefinition/kap-phq9-item9'] },
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      code: { coding: [{ system: LOINC, code: '44260-8', display: 'Thoughts that you would be better off dead, or of hurting yourself in some way' }] },
      valueCodeableConcept: { coding: [{ system: LOINC, code: la }] },
      effectiveDateTime: '2026-03-02T09:30:00-05:00',
    });
    const qrUrl = b.entry?.find((e) => e.resource === find(b, 'QuestionnaireResponse', 'q-a'))?.fullUrl;
    expect(o.derivedFrom).toEqual([{ reference: qrUrl }]);
    expect(o.encounter?.reference).toBe(find(b, 'QuestionnaireResponse', 'q-a').encounter?.reference);
    expect(() => validateResource(o)).not.toThrow();
  });

  test('near miss: item 9 unanswered → no item 9 Observation, no total, the response kept as stopped', () => {
    const b = mapped({ id: 'q-b', instrument: 'phq9', answers: { ...PHQ9_8, 'phq9-9': null } });
    expect(() => find(b, 'Observation', 'q-b-item9')).toThrow();
    expect(() => find(b, 'Observation', 'q-b')).toThrow();
    const qr: QuestionnaireResponse = find(b, 'QuestionnaireResponse', 'q-b');
    expect(qr.status).toBe('stopped');
    expect(qr.item?.map((i) => i.linkId)).not.toContain('phq9-9');
  });

  test('item 9 answered but another item blank: item 9 Observation still made, total not scored', () => {
    const b = mapped({ id: 'q-c', instrument: 'phq9', answers: { ...PHQ9_8, 'phq9-3': null, 'phq9-9': 2 } });
    expect(find(b, 'Observation', 'q-c-item9').valueCodeableConcept?.coding?.[0].code).toBe('LA6570-1');
    expect(() => find(b, 'Observation', 'q-c')).toThrow();
    expect(find(b, 'QuestionnaireResponse', 'q-c').status).toBe('stopped');
  });

  test('a complete response is completed; other instruments get no item Observation', () => {
    const b = mapped({ id: 'q-d', instrument: 'phq9', answers: { ...PHQ9_8, 'phq9-9': 0 } }, { id: 'q-e', instrument: 'gad7', answers: { 'gad7-1': 1, 'gad7-2': 1, 'gad7-3': 1, 'gad7-4': 1, 'gad7-5': 1, 'gad7-6': 1, 'gad7-7': 1 } });
    expect(find(b, 'QuestionnaireResponse', 'q-d').status).toBe('completed');
    expect(() => find(b, 'Observation', 'q-e-item9')).toThrow();
  });
});

describe('score Observation components', () => {
  const pcl5 = (endorsed: number[]): Answers =>
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pcl5-${i + 1}`, endorsed.includes(i + 1) ? 2 : 0]));

  test.each([
    ['fires: DSM-5 rule met', [1, 6, 8, 9, 15, 16], [2, 2, 4, 4], true],
    ['near miss: only one E item rated ≥ 2', [1, 6, 8, 9, 15], [2, 2, 4, 2], false],
  ])('PCL-5 total: clusters B–E and the provisional diagnosis — %s', (_name, endorsed, clusters, provisional) => {
    const o = find(mapped({ id: 'q-p', instrument: 'pcl5', answers: pcl5(endorsed) }), 'Observation', 'q-p');
    expect(o.valueInteger).toBe(clusters.reduce((a, b) => a + b, 0));
    expect(componentsOf(o)).toEqual([
      ['pcl5-cluster-b', clusters[0]],
      ['pcl5-cluster-c', clusters[1]],
      ['pcl5-cluster-d', clusters[2]],
      ['pcl5-cluster-e', clusters[3]],
      ['pcl5-dsm5-provisional', provisional],
    ]);
    expect(o.component?.every((c) => c.code.coding?.[0].system === KAP_OBSERVATION)).toBe(true);
    expect(() => validateResource(o)).not.toThrow();
  });

  test.each([
    ['fires: Q2 No, Q4 Yes → high and flagged', { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-4': 1, 'cssrs-6': 0 }, 'high', [['cssrs-inconsistent', true]]],
    ['near miss: Q2 Yes, Q4 Yes → high, no flag', { 'cssrs-1': 1, 'cssrs-2': 1, 'cssrs-3': 0, 'cssrs-4': 1, 'cssrs-5': 0, 'cssrs-6': 0 }, 'high', []],
  ])('C-SSRS risk Observation — %s', (_name, answers, risk, components) => {
    for (const instrument of ['cssrs-screen', 'cssrs-since-last-visit']) {
      const o = find(mapped({ id: 'q-s', instrument, answers }), 'Observation', 'q-s');
      expect(o.code.coding?.[0]).toMatchObject({ system: LOINC, code: '93374-7' });
      expect(o.valueCodeableConcept?.coding?.[0].code).toBe(risk);
      expect(componentsOf(o)).toEqual(components);
    }
  });

  test('the since-last-visit response points at its own Questionnaire; Q6 Yes scores high', () => {
    const b = mapped({ id: 'q-v', instrument: 'cssrs-since-last-visit', answers: { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 1 } });
    expect(find(b, 'QuestionnaireResponse', 'q-v').questionnaire).toBe('https://kap-fhir.org/fhir/Questionnaire/cssrs-since-last-visit');
    expect(find(b, 'QuestionnaireResponse', 'q-v').status).toBe('completed');
    expect(find(b, 'Observation', 'q-v').valueCodeableConcept?.coding?.[0].code).toBe('high');
  });

  test('GAD-7 total display exactly as LOINC writes it', () => {
    const o = find(mapped({ id: 'q-g', instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] as unknown as Answers }), 'Observation', 'q-g');
    expect(o.code.coding).toEqual([
      { system: LOINC, code: '70274-6', display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]' },
    ]);
  });
});

describe('conformance with the KAP package (profiles/package via src/validation)', () => {
  test('item 9, change from baseline, PCL-5 components, a contradictory C-SSRS, since-last-visit, a stopped PHQ-9: no error', async () => {
    const { validate } = await import('../validation/index.js');
    const phq9 = (n: number): Answers => ({ ...PHQ9_8, 'phq9-1': n, 'phq9-9': 1 });
    const ep = fixtureEpisode();
    ep.questionnaires = [
      { id: 'q1', instrument: 'phq9', authored: '2026-03-02T09:30:00-05:00', sessionId: 's-01', answers: phq9(3) },
      { id: 'q2', instrument: 'phq9', authored: '2026-03-09T08:50:00-05:00', sessionId: 's-04', answers: phq9(0) },
      { id: 'q3', instrument: 'phq9', authored: '2026-03-10T08:50:00-05:00', answers: { ...PHQ9_8, 'phq9-9': null } },
      { id: 'q4', instrument: 'pcl5', authored: '2026-03-02T09:35:00-05:00', answers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pcl5-${i + 1}`, 2])) },
      { id: 'q5', instrument: 'pcl5', authored: '2026-03-20T09:35:00-04:00', answers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pcl5-${i + 1}`, 1])) },
      { id: 'q6', instrument: 'cssrs-screen', authored: '2026-03-02T09:40:00-05:00', answers: { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-4': 1, 'cssrs-6': 0, 'cssrs-6b': 1 } },
      { id: 'q7', instrument: 'cssrs-since-last-visit', authored: '2026-03-09T08:55:00-05:00', sessionId: 's-04', answers: { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-3': 1, 'cssrs-6': 1 } },
    ] as typeof ep.questionnaires;
    const bundle = mapEpisode(kapEpisodeSchema.parse(ep));
    const mine = (bundle.entry ?? [])
      .map((e, i) => ({ r: e.resource, i }))
      .filter(({ r }) => r?.resourceType === 'QuestionnaireResponse' || (r?.resourceType === 'Observation' && /\/q\d/.test(JSON.stringify(r.identifier))));
    // 7 responses, totals q1 q2 q4 q5 q6 q7, item 9 of q1 q2, changes q2 q5
    expect(mine).toHaveLength(7 + 6 + 2 + 2);
    const errors = (validate(bundle).issue ?? []).filter(
      (i) => (i.severity === 'error' || i.severity === 'fatal') && mine.some(({ i: n }) => (i.expression ?? []).some((e) => e.startsWith(`Bundle.entry[${n}]`)))
    );
    expect(errors).toEqual([]);
    // the check can fail: a change Observation in mg instead of % breaks kap-change-from-baseline
    const change = find(bundle, 'Observation', 'q2-change');
    (change.valueQuantity as { code: string }).code = 'mg';
    const broken = (validate(bundle).issue ?? []).filter((i) => i.severity === 'error' && (i.expression ?? []).some((e) => e.includes(`entry[${bundle.entry?.findIndex((e2) => e2.resource === change)}]`)));
    expect(broken.length).toBeGreaterThan(0);
  });
});

import { describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { clinicIdentifierSystem, KAP_CSSRS_RISK, kapProfile, kapQuestionnaire, LOINC, OBSERVATION_CATEGORY } from '../terminology/systems.js';
import { getInstrument, INSTRUMENT_IDS } from './registry.js';
import { answersFromResponse, responseFromAnswers } from './response-answers.js';
import { scoreSubmission } from './score-response.js';
import type { InstrumentId } from './types.js';

loadBaseDefinitions();

/** A complete, valid answer set: every applicable item answered with a random option score. */
function arbitraryAnswers(id: InstrumentId): fc.Arbitrary<Record<string, number | null>> {
  const items = getInstrument(id).items;
  return fc.tuple(...items.map((i) => fc.constantFrom(...i.options.map((o) => o.score)))).map((scores) => {
    const answers: Record<string, number | null> = {};
    items.forEach((item, n) => {
      const enabled = !item.enableWhen || item.enableWhen.some((c) => answers[c.question] === c.answerScore);
      answers[item.linkId] = enabled ? scores[n] : null;
    });
    return answers;
  });
}

function answered(a: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null)) as Record<string, number>;
}

const AUTHORED = '2026-03-02T09:30:00-05:00';
const SUBJECT = { reference: 'Patient/pt-1' };
const IDENTIFIER = { system: clinicIdentifierSystem('c1'), value: 'qr-1' };

describe('QuestionnaireResponse round trip', () => {
  test.each(INSTRUMENT_IDS)('%s: answers → QR → answers, and the QR is valid FHIR', (id) => {
    const instrument = getInstrument(id);
    fc.assert(
      fc.property(arbitraryAnswers(id), (answers) => {
        const qr = responseFromAnswers(instrument, answers, { authored: AUTHORED, subject: SUBJECT, identifier: IDENTIFIER });
        expect(validateResource(qr)).toEqual([]);
        expect(qr.questionnaire).toBe(kapQuestionnaire(id));
        expect(qr.meta?.profile).toEqual([kapProfile('kap-questionnaire-response')]);
        const back = answersFromResponse(JSON.parse(JSON.stringify(qr)) as QuestionnaireResponse);
        expect(back).toEqual({ ok: true, instrument: id, answers: answered(answers) });
      }),
      { numRuns: 40, seed: 5 }
    );
  });

  test('answers come from the option codings (LOINC LA codes for PHQ-9), unanswered items are omitted', () => {
    const qr = responseFromAnswers(getInstrument('phq9'), { 'phq9-1': 3, 'phq9-2': null }, { authored: AUTHORED });
    expect(qr.item).toEqual([
      { linkId: 'phq9-1', text: expect.any(String), answer: [{ valueCoding: { system: LOINC, code: 'LA6571-9', display: 'Nearly every day' } }] },
    ]);
  });
});

describe('scoreSubmission', () => {
  test.each(INSTRUMENT_IDS)('%s: KAP form (object and array) and FHIR form (valueCoding and valueInteger) score identically', (id) => {
    const instrument = getInstrument(id);
    fc.assert(
      fc.property(arbitraryAnswers(id), (answers) => {
        const kap = scoreSubmission({ instrument: id, authored: AUTHORED, answers });
        const kapArray = scoreSubmission({ instrument: id, authored: AUTHORED, answers: instrument.items.map((i) => answers[i.linkId]) });
        const qr = responseFromAnswers(instrument, answers, { authored: AUTHORED });
        const fhir = scoreSubmission(qr);
        const asInteger: QuestionnaireResponse = {
          ...qr,
          item: qr.item?.map((it) => ({ linkId: it.linkId, answer: [{ valueInteger: answers[it.linkId] as number }] })),
        };
        const fhirInteger = scoreSubmission(asInteger);
        expect(kap.ok).toBe(true);
        for (const other of [kapArray, fhir, fhirInteger]) {
          expect(other.ok && other.result).toEqual(kap.ok && kap.result);
          expect(other.ok && other.observations).toEqual(kap.ok && kap.observations);
        }
        expect(kap.ok && kap.result).toEqual(instrument.score(answers));
      }),
      { numRuns: 25, seed: 7 }
    );
  });

  test('PHQ-9 total Observation: profile, survey, LOINC 44261-6, valueInteger, band, derivedFrom, authored; valid FHIR', () => {
    const answers = { 'phq9-1': 2, 'phq9-2': 2, 'phq9-3': 2, 'phq9-4': 2, 'phq9-5': 2, 'phq9-6': 2, 'phq9-7': 1, 'phq9-8': 0, 'phq9-9': 0, 'phq9-difficulty': 1 };
    const qr = responseFromAnswers(getInstrument('phq9'), answers, { authored: AUTHORED, subject: SUBJECT, identifier: IDENTIFIER });
    const r = scoreSubmission(qr, { responseReference: 'urn:uuid:0d3b0f8e-6d5a-5b8e-9f3c-2a1b4c5d6e7f' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.observations).toHaveLength(2);
    const [obs, item9] = r.observations;
    expect(item9).toMatchObject({
      meta: { profile: [kapProfile('kap-phq9-item9')] },
      identifier: [{ system: IDENTIFIER.system, value: 'qr-1-item9' }],
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey' }] }],
      code: { coding: [{ system: LOINC, code: '44260-8' }] },
      valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6568-5' }] },
      derivedFrom: [{ reference: 'urn:uuid:0d3b0f8e-6d5a-5b8e-9f3c-2a1b4c5d6e7f' }],
    });
    expect(validateResource({ ...item9, derivedFrom: [{ reference: 'QuestionnaireResponse/qr-1' }] })).toEqual([]);
    expect(obs).toMatchObject({
      resourceType: 'Observation',
      meta: { profile: [kapProfile('kap-instrument-score')] },
      identifier: [{ system: IDENTIFIER.system, value: 'qr-1-total' }],
      subject: SUBJECT,
      status: 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey' }] }],
      code: { coding: [{ system: LOINC, code: '44261-6' }] },
      valueInteger: 13,
      interpretation: [{ coding: [{ code: 'moderate' }] }],
      derivedFrom: [{ reference: 'urn:uuid:0d3b0f8e-6d5a-5b8e-9f3c-2a1b4c5d6e7f' }],
      effectiveDateTime: AUTHORED,
    });
    // standalone validation cannot resolve urn:uuid references (Medplum warns): validate with a literal one
    expect(validateResource({ ...obs, derivedFrom: [{ reference: 'QuestionnaireResponse/qr-1' }] })).toEqual([]);
    expect(validateResource(r.response)).toEqual([]);
  });

  test('C-SSRS yields only the risk Observation (93374-7, kap-cssrs-risk)', () => {
    const r = scoreSubmission({ instrument: 'cssrs-screen', authored: AUTHORED, answers: [1, 1, 0, 1, 0, 0, null] });
    expect(r.ok && r.observations).toEqual([
      expect.objectContaining({
        code: { coding: [expect.objectContaining({ system: LOINC, code: '93374-7' })] },
        valueCodeableConcept: { coding: [expect.objectContaining({ system: KAP_CSSRS_RISK, code: 'high' })] },
      }),
    ]);
    expect(r.ok && validateResource(r.observations[0])).toEqual([]);
  });

  test.each([
    ['fires: Q2 No with Q4 Yes → high, flagged', [1, 0, null, 1, null, 0, null], 'high', [{ valueBoolean: true }]],
    ['near miss: Q2 Yes with Q4 Yes → high, not flagged', [1, 1, 0, 1, 0, 0, null], 'high', undefined],
  ])('C-SSRS risk Observation, contradiction component — %s', (_name, answers, risk, component) => {
    const r = scoreSubmission({ instrument: 'cssrs-screen', authored: AUTHORED, answers });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0].valueCodeableConcept?.coding?.[0].code).toBe(risk);
    expect(r.observations[0].component?.map((c) => ({ code: c.code.coding?.[0].code, valueBoolean: c.valueBoolean }))).toEqual(
      component?.map((c) => ({ code: 'cssrs-inconsistent', ...c }))
    );
    expect(validateResource(r.observations[0])).toEqual([]);
  });

  test('PCL-5 total carries clusters B–E and the DSM-5 provisional diagnosis as components', () => {
    const answers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pcl5-${i + 1}`, [1, 6, 8, 9, 15, 16].includes(i + 1) ? 2 : 0]));
    const r = scoreSubmission({ instrument: 'pcl5', authored: AUTHORED, answers });
    expect(r.ok && r.observations[0].component?.map((c) => [c.code.coding?.[0].code, c.valueInteger ?? c.valueBoolean])).toEqual([
      ['pcl5-cluster-b', 2],
      ['pcl5-cluster-c', 2],
      ['pcl5-cluster-d', 4],
      ['pcl5-cluster-e', 4],
      ['pcl5-dsm5-provisional', true],
    ]);
    expect(r.ok && validateResource(r.observations[0])).toEqual([]);
  });

  test('CADSS-6 total uses kap-dissociation-score and no interpretation', () => {
    const answers = { 'cadss-1': 1, 'cadss-2': 2, 'cadss-6': 0, 'cadss-7': 0, 'cadss-15': 3, 'cadss-22': 1 };
    const qr = responseFromAnswers(getInstrument('cadss6'), answers, { authored: AUTHORED, subject: SUBJECT, identifier: IDENTIFIER });
    const r = scoreSubmission(qr);
    expect(r.ok && r.observations[0]).toMatchObject({ meta: { profile: [kapProfile('kap-dissociation-score')] }, valueInteger: 7 });
    expect(r.ok && r.observations[0].interpretation).toBeUndefined();
  });

  test('a bare KAP submission (no patient, no identifier) declares no KAP profile it could not meet', () => {
    const r = scoreSubmission({ instrument: 'cadss6', authored: AUTHORED, answers: [1, 2, 0, 0, 3, 1] });
    expect(r.ok && r.response.meta).toBeUndefined();
    expect(r.ok && r.observations[0].meta).toBeUndefined();
    expect(r.ok && r.observations[0].valueInteger).toBe(7);
  });

  test('missing items: OperationOutcome incomplete naming each linkId, in both forms', () => {
    const kap = scoreSubmission({ instrument: 'gad7', authored: AUTHORED, answers: { 'gad7-1': 1, 'gad7-2': 1 } });
    expect(kap.ok).toBe(false);
    if (kap.ok) return;
    expect(kap.outcome.issue?.map((i) => [i.code, i.expression?.[0]])).toEqual(
      ['gad7-3', 'gad7-4', 'gad7-5', 'gad7-6', 'gad7-7'].map((l) => ['incomplete', `answers.${l}`])
    );
    const qr = responseFromAnswers(getInstrument('gad7'), { 'gad7-1': 1, 'gad7-2': 1, 'gad7-3': 0, 'gad7-4': 0, 'gad7-5': 0, 'gad7-6': 0 }, { authored: AUTHORED });
    const fhir = scoreSubmission(qr);
    expect(!fhir.ok && fhir.outcome.issue?.[0]).toMatchObject({ code: 'incomplete', expression: ["QuestionnaireResponse.item.where(linkId='gad7-7')"] });
  });

  test('refusals carry no submitted value', () => {
    const r = scoreSubmission({ instrument: 'phq9', authored: AUTHORED, answers: { 'phq9-1': 987654 } });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('987654');
    const bad = scoreSubmission({ instrument: 'phq9', authored: 'Avery Testperson', answers: [] });
    expect(!bad.ok && bad.outcome.issue?.[0].expression).toEqual(['authored']);
    expect(JSON.stringify(bad)).not.toContain('Avery');
  });

  test('FHIR answers matching no option, and unknown questionnaires, are refused', () => {
    const qr = responseFromAnswers(getInstrument('phq9'), { 'phq9-1': 1 }, { authored: AUTHORED });
    qr.item![0].answer = [{ valueCoding: { system: LOINC, code: 'LA33-6' } }];
    expect(scoreSubmission(qr)).toMatchObject({ ok: false, outcome: { issue: [{ code: 'code-invalid' }] } });
    expect(scoreSubmission({ ...qr, questionnaire: 'http://example.org/Questionnaire/x' })).toMatchObject({
      ok: false,
      outcome: { issue: [{ code: 'not-supported' }] },
    });
  });
});

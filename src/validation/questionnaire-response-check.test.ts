import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import type {
  OperationOutcome,
  Questionnaire,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  ValueSet,
} from '@medplum/fhirtypes';
import { kapCodeSystem } from '../terminology/systems.js';
import { Validator } from './validator.js';

const questionnaire = JSON.parse(
  readFileSync(new URL('./__test__/questionnaire-branching.json', import.meta.url), 'utf8')
) as Questionnaire;
const validator = new Validator({ resources: [questionnaire] });

function qr(items: QuestionnaireResponse['item'], status: QuestionnaireResponse['status'] = 'completed'): QuestionnaireResponse {
  // an empty list is left out: FHIR JSON has no empty arrays (the validator reports one)
  return { resourceType: 'QuestionnaireResponse', status, questionnaire: questionnaire.url, ...(items?.length ? { item: items } : {}) };
}
const group = { linkId: 'group', item: [{ linkId: 'group.count', answer: [{ valueInteger: 2 }] }] };

function bySeverity(o: OperationOutcome, severity: string): string[] {
  return (o.issue ?? []).filter((i) => i.severity === severity).map((i) => `${i.code} ${i.expression?.[0]}`);
}
function errors(o: OperationOutcome): string[] {
  return bySeverity(o, 'error');
}

describe('QuestionnaireResponse against its Questionnaire', () => {
  test('a complete response with the branch not taken is valid', () => {
    expect(errors(validator.validate(qr([{ linkId: 'screen', answer: [{ valueBoolean: false }] }, group])))).toEqual([]);
  });

  test('a required item whose enableWhen holds is missing', () => {
    expect(errors(validator.validate(qr([{ linkId: 'screen', answer: [{ valueBoolean: true }] }, group])))).toEqual([
      "required QuestionnaireResponse.item.where(linkId = 'detail')",
    ]);
  });

  test('an item that is not enabled must not be answered', () => {
    const o = validator.validate(
      qr([{ linkId: 'screen', answer: [{ valueBoolean: false }] }, { linkId: 'detail', answer: [{ valueString: 'x' }] }, group])
    );
    expect(errors(o)).toEqual(['invalid QuestionnaireResponse.item[1]']);
  });

  test('exists operator, repeats, answerValueSet membership, nested required item, empty required group', () => {
    const o = validator.validate(
      qr([
        { linkId: 'screen', answer: [{ valueBoolean: true }] },
        { linkId: 'detail', answer: [{ valueString: 'x' }] },
        { linkId: 'phase', answer: [{ valueCoding: { system: kapCodeSystem('kap-dosing-phase'), code: 'mid-dose' } }] },
        { linkId: 'severity', answer: [{ valueInteger: 1 }, { valueInteger: 2 }] },
        { linkId: 'group' },
      ])
    );
    expect(errors(o).sort()).toEqual(
      [
        'code-invalid QuestionnaireResponse.item[2].answer[0].valueCoding',
        'invalid QuestionnaireResponse.item[3].answer',
        'invariant QuestionnaireResponse.item[4]',
        "required QuestionnaireResponse.item[4].item.where(linkId = 'group.count')",
      ].sort()
    );
  });

  test('an in-progress response may miss required items: warnings, not errors', () => {
    const o = validator.validate(qr([], 'in-progress'));
    expect(errors(o)).toEqual([]);
    expect(bySeverity(o, 'warning')).toEqual(
      expect.arrayContaining([
        "required QuestionnaireResponse.item.where(linkId = 'screen')",
        "required QuestionnaireResponse.item.where(linkId = 'group')",
      ])
    );
  });

  test('an amended response is held to the completed rules', () => {
    expect(errors(validator.validate(qr([], 'amended')))).toContain("required QuestionnaireResponse.item.where(linkId = 'screen')");
  });

  test('an unknown Questionnaire outside our namespace is a warning, not an error', () => {
    const o = validator.validate({ ...qr([]), questionnaire: 'https://elsewhere.example.org/Questionnaire/x' });
    expect(errors(o)).toEqual([]);
    expect(bySeverity(o, 'warning')).toContain('not-found QuestionnaireResponse.questionnaire');
  });

  test('an unknown Questionnaire on example.org is information only (as the reference validator)', () => {
    const o = validator.validate({ ...qr([]), questionnaire: 'http://example.org/Questionnaire/x' });
    expect(bySeverity(o, 'warning')).not.toContain('not-found QuestionnaireResponse.questionnaire');
    expect(bySeverity(o, 'information')).toContain('not-found QuestionnaireResponse.questionnaire');
  });

  test("authored outside the Questionnaire's effectivePeriod is a warning", () => {
    const dated = { ...questionnaire, url: 'https://partner.example.org/fhir/Questionnaire/dated', effectivePeriod: { start: '2024-01-01', end: '2024-12-31' } };
    const v = new Validator({ resources: [dated] });
    const items = [{ linkId: 'screen', answer: [{ valueBoolean: false }] }, group];
    const late = v.validate({ ...qr(items), questionnaire: dated.url, authored: '2025-02-01T10:00:00Z' });
    expect(errors(late)).toEqual([]);
    expect(bySeverity(late, 'warning')).toContain('business-rule QuestionnaireResponse.authored');
    const inside = v.validate({ ...qr(items), questionnaire: dated.url, authored: '2024-06-01T10:00:00Z' });
    expect(bySeverity(inside, 'warning')).not.toContain('business-rule QuestionnaireResponse.authored');
  });

  test('a contained Questionnaire (#id) is resolved', () => {
    const contained = { ...questionnaire, url: undefined, id: 'q' };
    const o = validator.validate({
      ...qr([{ linkId: 'screen', answer: [{ valueString: 'yes' }] }, group]),
      questionnaire: '#q',
      contained: [contained],
    });
    expect(errors(o)).toContain('structure QuestionnaireResponse.item[0].answer[0].valueString');
  });
});

// The SDC rule set, against the corpus's Questionnaire (one source for the unit test and the corpus).
const supportingDir = new URL('../../test/validation/corpus/questionnaire/supporting/', import.meta.url);
const supporting = readdirSync(supportingDir).map(
  (f) => JSON.parse(readFileSync(new URL(f, supportingDir), 'utf8')) as Questionnaire | ValueSet
);
const sdc = supporting.find((r) => r.resourceType === 'Questionnaire') as Questionnaire;
const sdcValidator = new Validator({ resources: supporting });

function sdcQr(items: QuestionnaireResponseItem[]): QuestionnaireResponse {
  return { resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: sdc.url, item: items };
}
const SYMPTOM = 'https://partner.example.org/fhir/CodeSystem/symptom';
const UCUM = 'http://unitsofmeasure.org';
const mg = (value: number): object => ({ value, unit: 'mg', system: UCUM, code: 'mg' });

/** rule, failing items + expected errors, passing items. */
const cases: [string, QuestionnaireResponseItem[], string[], QuestionnaireResponseItem[]][] = [
  ['maxLength (string)', [{ linkId: 'name', answer: [{ valueString: 'Abcdefghijk' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueString'],
    [{ linkId: 'name', answer: [{ valueString: 'Abcdefghij' }] }]],
  ['maxLength (text)', [{ linkId: 'notes', answer: [{ valueString: 'x'.repeat(21) }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueString'],
    [{ linkId: 'notes', answer: [{ valueString: 'x'.repeat(20) }] }]],
  ['minLength', [{ linkId: 'name', answer: [{ valueString: 'A' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueString'],
    [{ linkId: 'name', answer: [{ valueString: 'Ab' }] }]],
  ['regex (whole answer)', [{ linkId: 'name', answer: [{ valueString: 'Ab1' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueString'],
    [{ linkId: 'name', answer: [{ valueString: 'Ab Cd' }] }]],
  ['minValue (integer)', [{ linkId: 'count', answer: [{ valueInteger: 0 }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueInteger'],
    [{ linkId: 'count', answer: [{ valueInteger: 1 }] }]],
  ['maxValue (integer)', [{ linkId: 'count', answer: [{ valueInteger: 11 }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueInteger'],
    [{ linkId: 'count', answer: [{ valueInteger: 10 }] }]],
  ['minValue (decimal)', [{ linkId: 'weight', answer: [{ valueDecimal: 0.4 }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueDecimal'],
    [{ linkId: 'weight', answer: [{ valueDecimal: 0.5 }] }]],
  ['maxValue (decimal)', [{ linkId: 'weight', answer: [{ valueDecimal: 300.1 }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueDecimal'],
    [{ linkId: 'weight', answer: [{ valueDecimal: 300 }] }]],
  ['maxDecimalPlaces (decimal)', [{ linkId: 'weight', answer: [{ valueDecimal: 70.25 }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueDecimal'],
    [{ linkId: 'weight', answer: [{ valueDecimal: 70.2 }] }]],
  ['minValue (date)', [{ linkId: 'visit-date', answer: [{ valueDate: '2019-12-31' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueDate'],
    [{ linkId: 'visit-date', answer: [{ valueDate: '2020-01-01' }] }]],
  ['maxValue (date)', [{ linkId: 'visit-date', answer: [{ valueDate: '2031-01-01' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueDate'],
    [{ linkId: 'visit-date', answer: [{ valueDate: '2030-12' }] }]],
  ['minValue (dateTime)', [{ linkId: 'visit-datetime', answer: [{ valueDateTime: '2019-12-31T23:00:00Z' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueDateTime'],
    [{ linkId: 'visit-datetime', answer: [{ valueDateTime: '2020-01-01T01:00:00+01:00' }] }]],
  ['minValue (time)', [{ linkId: 'visit-time', answer: [{ valueTime: '07:59:00' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueTime'],
    [{ linkId: 'visit-time', answer: [{ valueTime: '08:00:00' }] }]],
  ['maxValue (time)', [{ linkId: 'visit-time', answer: [{ valueTime: '18:00:01' }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueTime'],
    [{ linkId: 'visit-time', answer: [{ valueTime: '18:00:00' }] }]],
  ['minQuantity', [{ linkId: 'dose', answer: [{ valueQuantity: mg(0.5) }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueQuantity'],
    [{ linkId: 'dose', answer: [{ valueQuantity: mg(1) }] }]],
  ['maxQuantity (UCUM conversion g → mg)', [{ linkId: 'dose', answer: [{ valueQuantity: { value: 0.2, unit: 'g', system: UCUM, code: 'g' } }] }],
    ['invariant QuestionnaireResponse.item[0].answer[0].valueQuantity'],
    [{ linkId: 'dose', answer: [{ valueQuantity: { value: 0.05, unit: 'g', system: UCUM, code: 'g' } }] }]],
  ['maxDecimalPlaces (quantity)', [{ linkId: 'dose', answer: [{ valueQuantity: mg(2.125) }] }], ['invariant QuestionnaireResponse.item[0].answer[0].valueQuantity.value'],
    [{ linkId: 'dose', answer: [{ valueQuantity: mg(2.12) }] }]],
  ['unitOption', [{ linkId: 'dose', answer: [{ valueQuantity: { value: 5000, unit: 'ug', system: UCUM, code: 'ug' } }] }],
    ['invariant QuestionnaireResponse.item[0].answer[0].valueQuantity'],
    [{ linkId: 'dose', answer: [{ valueQuantity: mg(50) }] }]],
  ['unitValueSet', [{ linkId: 'temperature', answer: [{ valueQuantity: { value: 310, unit: 'K', system: UCUM, code: 'K' } }] }],
    ['code-invalid QuestionnaireResponse.item[0].answer[0].valueQuantity'],
    [{ linkId: 'temperature', answer: [{ valueQuantity: { value: 37, unit: 'Cel', system: UCUM, code: 'Cel' } }] }]],
  ['mimeType', [{ linkId: 'photo', answer: [{ valueAttachment: { contentType: 'application/pdf', data: 'AAAA' } }] }],
    ['invalid QuestionnaireResponse.item[0].answer[0].valueAttachment.contentType'],
    [{ linkId: 'photo', answer: [{ valueAttachment: { contentType: 'image/png', data: 'AAAA' } }] }]],
  ['mimeType (contentType missing)', [{ linkId: 'photo', answer: [{ valueAttachment: { url: 'https://partner.example.org/photo' } }] }],
    ['required QuestionnaireResponse.item[0].answer[0].valueAttachment'],
    [{ linkId: 'photo', answer: [{ valueAttachment: { contentType: 'image/jpeg', data: 'AAAA' } }] }]],
  ['maxSize', [{ linkId: 'photo', answer: [{ valueAttachment: { contentType: 'image/png', data: 'A'.repeat(24) } }] }],
    ['invalid QuestionnaireResponse.item[0].answer[0].valueAttachment.data'],
    [{ linkId: 'photo', answer: [{ valueAttachment: { contentType: 'image/png', data: 'A'.repeat(20) } }] }]],
  ['referenceResource', [{ linkId: 'clinician', answer: [{ valueReference: { reference: 'Patient/example' } }] }],
    ['invalid QuestionnaireResponse.item[0].answer[0].valueReference.reference'],
    [{ linkId: 'clinician', answer: [{ valueReference: { reference: 'https://partner.example.org/fhir/PractitionerRole/example' } }] }]],
  ['answerOption (Reference)', [{ linkId: 'site', answer: [{ valueReference: { reference: 'Location/site-c' } }] }],
    ['code-invalid QuestionnaireResponse.item[0].answer[0].valueReference'],
    [{ linkId: 'site', answer: [{ valueReference: { reference: 'Location/site-b' } }] }]],
  ['answerOption (Coding: system and code)', [{ linkId: 'symptoms', answer: [{ valueCoding: { system: 'http://other.example.org', code: 'headache' } }] }],
    ['code-invalid QuestionnaireResponse.item[0].answer[0].valueCoding'],
    [{ linkId: 'symptoms', answer: [{ valueCoding: { system: SYMPTOM, code: 'headache' } }, { valueCoding: { system: SYMPTOM, code: 'nausea' } }] }]],
  ['optionExclusive', [{ linkId: 'symptoms', answer: [{ valueCoding: { system: SYMPTOM, code: 'headache' } }, { valueCoding: { system: SYMPTOM, code: 'none' } }] }],
    ['invariant QuestionnaireResponse.item[0].answer[1].valueCoding'],
    [{ linkId: 'symptoms', answer: [{ valueCoding: { system: SYMPTOM, code: 'none' } }] }]],
  ['answerOption (integer)', [{ linkId: 'frequency', answer: [{ valueInteger: 4 }] }], ['code-invalid QuestionnaireResponse.item[0].answer[0].valueInteger'],
    [{ linkId: 'frequency', answer: [{ valueInteger: 3 }] }]],
  ['answerOption (date)', [{ linkId: 'slot-date', answer: [{ valueDate: '2026-01-06' }] }], ['code-invalid QuestionnaireResponse.item[0].answer[0].valueDate'],
    [{ linkId: 'slot-date', answer: [{ valueDate: '2026-01-12' }] }]],
  ['answerOption (time)', [{ linkId: 'slot-time', answer: [{ valueTime: '10:00:00' }] }], ['code-invalid QuestionnaireResponse.item[0].answer[0].valueTime'],
    [{ linkId: 'slot-time', answer: [{ valueTime: '09:00:00' }] }]],
  ['answerOption (string)', [{ linkId: 'colour', answer: [{ valueString: 'green' }] }], ['code-invalid QuestionnaireResponse.item[0].answer[0].valueString'],
    [{ linkId: 'colour', answer: [{ valueString: 'red' }] }]],
  ['answerOption (choice with options of another type)', [{ linkId: 'frequency', answer: [{ valueString: 'twice' }] }],
    ['invariant QuestionnaireResponse.item[0].answer[0].valueString'],
    [{ linkId: 'frequency', answer: [{ valueInteger: 2 }] }]],
  ['choice answer types', [{ linkId: 'symptoms', answer: [{ valueBoolean: true }] }], ['structure QuestionnaireResponse.item[0].answer[0].valueBoolean'],
    [{ linkId: 'symptoms', answer: [{ valueCoding: { system: SYMPTOM, code: 'nausea' } }] }]],
  ['open-choice: Coding from the options or free text', [{ linkId: 'other-symptom', answer: [{ valueCoding: { system: SYMPTOM, code: 'rash' } }] }],
    ['code-invalid QuestionnaireResponse.item[0].answer[0].valueCoding'],
    [{ linkId: 'other-symptom', answer: [{ valueString: 'Test rash' }] }]],
  ['open-choice answer types', [{ linkId: 'other-symptom', answer: [{ valueDecimal: 1.5 }] }], ['structure QuestionnaireResponse.item[0].answer[0].valueDecimal'],
    [{ linkId: 'other-symptom', answer: [{ valueCoding: { system: SYMPTOM, code: 'dizziness' } }] }]],
  ['minOccurs', [{ linkId: 'contacts', answer: [{ valueString: 'A' }] }], ['required QuestionnaireResponse.item[0]'],
    [{ linkId: 'contacts', answer: [{ valueString: 'A' }, { valueString: 'B' }] }]],
  ['maxOccurs', [{ linkId: 'contacts', answer: ['A', 'B', 'C', 'D'].map((v) => ({ valueString: v })) }], ['invalid QuestionnaireResponse.item[0]'],
    [{ linkId: 'contacts', answer: ['A', 'B', 'C'].map((v) => ({ valueString: v })) }]],
  ['unknown linkId', [{ linkId: 'nope', answer: [{ valueString: 'A' }] }], ['structure QuestionnaireResponse.item[0].linkId'],
    [{ linkId: 'name', answer: [{ valueString: 'Abc' }] }]],
  ['item at the wrong level', [{ linkId: 'section-note', answer: [{ valueString: 'A' }] }], ['structure QuestionnaireResponse.item[0].linkId'],
    [{ linkId: 'section', item: [{ linkId: 'section-note', answer: [{ valueString: 'A' }] }] }]],
  ['items out of order', [{ linkId: 'count', answer: [{ valueInteger: 2 }] }, { linkId: 'name', answer: [{ valueString: 'Ab' }] }],
    ['structure QuestionnaireResponse.item[1]'],
    [{ linkId: 'name', answer: [{ valueString: 'Ab' }] }, { linkId: 'count', answer: [{ valueInteger: 2 }] }]],
  ['non-repeating item twice', [{ linkId: 'count', answer: [{ valueInteger: 2 }] }, { linkId: 'count', answer: [{ valueInteger: 3 }] }],
    ['invalid QuestionnaireResponse.item[1]'],
    [{ linkId: 'count', answer: [{ valueInteger: 2 }] }]],
  ['item text must match', [{ linkId: 'count', text: 'How many?', answer: [{ valueInteger: 2 }] }], ['invalid QuestionnaireResponse.item[0].text'],
    [{ linkId: 'count', text: 'Count', answer: [{ valueInteger: 2 }] }]],
  ['display item has no answers', [{ linkId: 'intro', answer: [{ valueString: 'A' }] }], ['structure QuestionnaireResponse.item[0].answer'],
    [{ linkId: 'intro' }]],
  ['enableWhen: required when enabled', [{ linkId: 'flag', answer: [{ valueBoolean: true }] }],
    ["required QuestionnaireResponse.item.where(linkId = 'flag-detail')"],
    [{ linkId: 'flag', answer: [{ valueBoolean: false }] }]],
  ['required item inside a present group', [{ linkId: 'section', item: [{ linkId: 'section-note' }] }], ['required QuestionnaireResponse.item[0].item[0]'],
    [{ linkId: 'section', item: [{ linkId: 'section-note', answer: [{ valueString: 'A' }] }] }]],
];

describe('QuestionnaireResponse SDC rules (HL7 validator QuestionnaireValidator verdicts)', () => {
  test.each(cases)('%s', (_rule, failing, expected, passing) => {
    expect(errors(sdcValidator.validate(sdcQr(failing))).sort()).toEqual([...expected].sort());
    expect(errors(sdcValidator.validate(sdcQr(passing)))).toEqual([]);
  });

  test('a line break in a string answer is a warning, not an error', () => {
    const o = sdcValidator.validate(sdcQr([{ linkId: 'name', answer: [{ valueString: 'Ab\nCd' }] }]));
    expect(bySeverity(o, 'warning')).toContain('invariant QuestionnaireResponse.item[0].answer[0].valueString');
  });

  test('open-choice free text equal to a coded option is a warning', () => {
    const o = sdcValidator.validate(sdcQr([{ linkId: 'other-symptom', answer: [{ valueString: 'dizziness' }] }]));
    expect(errors(o)).toEqual([]);
    expect(bySeverity(o, 'warning')).toContain('invariant QuestionnaireResponse.item[0].answer[0].valueString');
  });

  test('messages never echo the answer', () => {
    const secret = 'Zzsecretzz';
    const o = sdcValidator.validate(sdcQr([{ linkId: 'name', answer: [{ valueString: `${secret}1` }] }]));
    expect(errors(o).length).toBeGreaterThan(0);
    expect(JSON.stringify(o)).not.toContain(secret);
  });

  test('a QR inside a Bundle is checked with the entry path', () => {
    const bundle = {
      resourceType: 'Bundle' as const,
      type: 'collection' as const,
      entry: [{ fullUrl: 'urn:uuid:8c6b3f2e-1d2a-4b7c-9e0f-123456789abc', resource: sdcQr([{ linkId: 'count', answer: [{ valueInteger: 11 }] }]) }],
    };
    expect(errors(sdcValidator.validate(bundle))).toContain('invariant Bundle.entry[0].resource.item[0].answer[0].valueInteger');
  });
});

import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { OperationOutcome, Questionnaire, QuestionnaireResponse } from '@medplum/fhirtypes';
import { kapCodeSystem } from '../terminology/systems.js';
import { Validator } from './validator.js';

const questionnaire = JSON.parse(
  readFileSync(new URL('./__test__/questionnaire-branching.json', import.meta.url), 'utf8')
) as Questionnaire;
const validator = new Validator({ resources: [questionnaire] });

function qr(items: QuestionnaireResponse['item'], status: QuestionnaireResponse['status'] = 'completed'): QuestionnaireResponse {
  return { resourceType: 'QuestionnaireResponse', status, questionnaire: questionnaire.url, item: items };
}
const group = { linkId: 'group', item: [{ linkId: 'group.count', answer: [{ valueInteger: 2 }] }] };

function errors(o: OperationOutcome): string[] {
  return (o.issue ?? []).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.expression?.[0]}`);
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
    expect(errors(o)).toEqual(['business-rule QuestionnaireResponse.item[1]']);
  });

  test('exists operator, repeats, answerValueSet membership, nested required item', () => {
    const o = validator.validate(
      qr([
        { linkId: 'screen', answer: [{ valueBoolean: true }] },
        { linkId: 'detail', answer: [{ valueString: 'x' }] },
        { linkId: 'phase', answer: [{ valueCoding: { system: kapCodeSystem('kap-dosing-phase'), code: 'mid-dose' } }] },
        { linkId: 'severity', answer: [{ valueInteger: 1 }, { valueInteger: 2 }] },
        { linkId: 'group', item: [] },
      ])
    );
    expect(errors(o).sort()).toEqual(
      [
        'code-invalid QuestionnaireResponse.item[2].answer[0].valueCoding',
        'structure QuestionnaireResponse.item[3].answer',
        "required QuestionnaireResponse.item[4].item.where(linkId = 'group.count')",
      ].sort()
    );
  });

  test('an in-progress response may miss required items', () => {
    expect(errors(validator.validate(qr([], 'in-progress')))).toEqual([]);
  });

  test('an unknown Questionnaire outside our namespace is a warning, not an error', () => {
    const o = validator.validate({ ...qr([]), questionnaire: 'https://elsewhere.example.org/Questionnaire/x' });
    expect(errors(o)).toEqual([]);
    expect(o.issue?.[0]).toMatchObject({ severity: 'warning', code: 'not-found', expression: ['QuestionnaireResponse.questionnaire'] });
  });
});

import { describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { ORDINAL_VALUE_URL } from './answer-options.js';
import { getInstrument, INSTRUMENT_IDS } from './registry.js';

loadBaseDefinitions();

describe('generated Questionnaires', () => {
  test.each(INSTRUMENT_IDS)('%s is valid FHIR R4 and deterministic', (id) => {
    const instrument = getInstrument(id);
    const q = instrument.questionnaire();
    expect(validateResource(q)).toEqual([]);
    expect(JSON.stringify(instrument.questionnaire())).toBe(JSON.stringify(q));
    expect(q.url).toBe(kapQuestionnaire(id));
    expect(q.id).toBe(id);
    expect(q.status).toBe('active');
    expect(q.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(q.name).toMatch(/^[A-Z][A-Za-z0-9_]*$/);
    expect(q.copyright).toBeTruthy();
    expect(q.item?.map((i) => i.linkId)).toEqual(instrument.items.map((i) => i.linkId));
  });

  test.each(INSTRUMENT_IDS)('%s items carry options with ordinalValue = the item score', (id) => {
    const instrument = getInstrument(id);
    const q = instrument.questionnaire();
    for (const [n, item] of instrument.items.entries()) {
      const qi = q.item?.[n];
      expect(qi?.required).toBe(item.required);
      expect(qi?.code).toEqual(item.code ? [item.code] : undefined);
      expect(
        qi?.answerOption?.map((o) => [
          o.valueCoding?.code,
          o.extension?.find((e) => e.url === ORDINAL_VALUE_URL)?.valueDecimal,
        ])
      ).toEqual(item.options.map((o) => [o.code.code, o.score]));
    }
  });

  test('panel codes are the LOINC panels of instruments.md; CADSS-6 has none', () => {
    expect(getInstrument('phq9').questionnaire().code?.[0]).toMatchObject({ system: LOINC, code: '44249-1' });
    expect(getInstrument('gad7').questionnaire().code?.[0]).toMatchObject({ system: LOINC, code: '69737-5' });
    expect(getInstrument('pcl5').questionnaire().code?.[0]).toMatchObject({ system: LOINC, code: '101697-1' });
    expect(getInstrument('cssrs-screen').questionnaire().code?.[0]).toMatchObject({ system: LOINC, code: '93373-9' });
    expect(getInstrument('cadss6').questionnaire().code).toBeUndefined();
  });

  test('C-SSRS branching: Q3-Q5 enabled by Q2 = Yes, 6b by Q6 = Yes', () => {
    const q = getInstrument('cssrs-screen').questionnaire();
    const byId = new Map(q.item?.map((i) => [i.linkId, i]));
    for (const id of ['cssrs-3', 'cssrs-4', 'cssrs-5']) {
      expect(byId.get(id)?.enableWhen).toEqual([
        { question: 'cssrs-2', operator: '=', answerCoding: { system: LOINC, code: 'LA33-6', display: 'Yes' } },
      ]);
    }
    expect(byId.get('cssrs-6b')?.enableWhen?.[0]).toMatchObject({ question: 'cssrs-6', answerCoding: { code: 'LA33-6' } });
    expect(byId.get('cssrs-1')?.enableWhen).toBeUndefined();
    expect(byId.get('cssrs-6')?.enableWhen).toBeUndefined();
  });

  test('mutating one generated Questionnaire does not change the next', () => {
    const q = getInstrument('phq9').questionnaire();
    q.item![0].answerOption![0].valueCoding!.code = 'changed';
    expect(getInstrument('phq9').questionnaire().item?.[0].answerOption?.[0].valueCoding?.code).toBe('LA6568-5');
  });
});

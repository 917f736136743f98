import { describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { ORDINAL_VALUE_URL } from './answer-options.js';
import { buildQuestionnaire } from './questionnaire.js';
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
      // C-SSRS follow-ups are published as optional items (no enableWhen): see the branching test below
      expect(qi?.required).toBe(item.required && !(id.startsWith('cssrs') && item.enableWhen));
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
    expect(getInstrument('cssrs-since-last-visit').questionnaire().code).toBeUndefined();
  });

  test.each(['cssrs-screen', 'cssrs-since-last-visit'] as const)(
    '%s: follow-ups are optional items without enableWhen (a contradictory response stays valid); Q1, Q2, Q6 required',
    (id) => {
      const q = getInstrument(id).questionnaire();
      const byId = new Map(q.item?.map((i) => [i.linkId, i]));
      for (const linkId of ['cssrs-3', 'cssrs-4', 'cssrs-5', ...(id === 'cssrs-screen' ? ['cssrs-6b'] : [])]) {
        expect({ linkId, enableWhen: byId.get(linkId)?.enableWhen, required: byId.get(linkId)?.required }).toEqual({
          linkId,
          enableWhen: undefined,
          required: false,
        });
      }
      for (const linkId of ['cssrs-1', 'cssrs-2', 'cssrs-6']) {
        expect(byId.get(linkId)?.required).toBe(true);
      }
      // the branching still drives scoring: the instrument items keep it
      expect(getInstrument(id).items.find((i) => i.linkId === 'cssrs-4')?.enableWhen).toEqual([{ question: 'cssrs-2', answerScore: 1 }]);
    }
  );

  test('since-last-visit: cssrs-1 … cssrs-6 without 6b, local (no LOINC panel, no LOINC item codes)', () => {
    const q = getInstrument('cssrs-since-last-visit').questionnaire();
    expect(q.item?.map((i) => i.linkId)).toEqual(['cssrs-1', 'cssrs-2', 'cssrs-3', 'cssrs-4', 'cssrs-5', 'cssrs-6']);
    expect(q.code).toBeUndefined();
    expect(q.item?.every((i) => i.code === undefined)).toBe(true);
    expect(q.url).toBe(kapQuestionnaire('cssrs-since-last-visit'));
  });

  test('other instruments keep enableWhen publishing (default branching): a generated item with a condition gets it', () => {
    const q = buildQuestionnaire(
      { id: 'x', url: 'https://example.org/Questionnaire/x', version: '1.0.0', name: 'X', title: 'X', description: 'x', copyright: 'x' },
      getInstrument('cssrs-screen').items
    );
    expect(q.item?.find((i) => i.linkId === 'cssrs-4')?.enableWhen).toEqual([
      { question: 'cssrs-2', operator: '=', answerCoding: { system: LOINC, code: 'LA33-6', display: 'Yes' } },
    ]);
    expect(q.item?.find((i) => i.linkId === 'cssrs-4')?.required).toBe(true);
  });

  test('mutating one generated Questionnaire does not change the next', () => {
    const q = getInstrument('phq9').questionnaire();
    q.item![0].answerOption![0].valueCoding!.code = 'changed';
    expect(getInstrument('phq9').questionnaire().item?.[0].answerOption?.[0].valueCoding?.code).toBe('LA6568-5');
  });
});

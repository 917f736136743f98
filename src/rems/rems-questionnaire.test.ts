import { describe, expect, test } from '@jest/globals';
import type { QuestionnaireItem } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sortKeysDeep } from '../../scripts/profiles-json.js';
import { kapPackageDir } from '../validation/index.js';
import { allRemsItems, REMS_ITEMS } from './rems-items.js';
import { REMS_QUESTIONNAIRE_URL, remsMonitoringQuestionnaire } from './rems-questionnaire.js';

function flat(items: QuestionnaireItem[] | undefined): QuestionnaireItem[] {
  return (items ?? []).flatMap((i) => [i, ...flat(i.item)]);
}

describe('the spravato-rems-monitoring Questionnaire', () => {
  const q = remsMonitoringQuestionnaire();

  test('has the canonical URL and one item per row of the table, linkIds unique', () => {
    expect(q.url).toBe('https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring');
    expect(q.url).toBe(REMS_QUESTIONNAIRE_URL);
    const linkIds = flat(q.item).map((i) => i.linkId);
    expect(linkIds).toEqual(allRemsItems().map((i) => i.linkId));
    expect(new Set(linkIds).size).toBe(linkIds.length);
  });

  test('models the fields of the issue: medications, three BPs, sedation, dissociation, breathing, monitoring time, readiness', () => {
    const linkIds = flat(q.item).map((i) => i.linkId);
    for (const id of [
      'session-date', 'healthcare-setting', 'dose-mg', 'lot-number',
      'med-benzodiazepine', 'med-non-benzodiazepine-sedative-hypnotic', 'med-psychostimulant', 'med-maoi',
      'bp-pre-dose', 'bp-post-40', 'bp-pre-discharge', 'sedation-observed', 'moaas-lowest', 'dissociation-observed',
      'cadss6-total', 'respiratory-depression', 'spo2-lowest', 'monitoring-minutes', 'ready-to-leave', 'adverse-events-observed',
    ]) {
      expect(linkIds).toContain(id);
    }
    expect(flat(q.item).find((i) => i.linkId === 'dose-mg')?.answerOption).toEqual([{ valueInteger: 28 }, { valueInteger: 56 }, { valueInteger: 84 }]);
  });

  test('item texts are plain ASCII (standard PDF fonts) and the table marks each field form or kap', () => {
    for (const item of allRemsItems(REMS_ITEMS)) {
      expect(/^[\x20-\x7e]+$/.test(item.text)).toBe(true);
      expect(['form', 'kap']).toContain(item.origin);
    }
  });

  test('profiles/package publishes exactly this Questionnaire (npm run profiles is up to date)', () => {
    const published = JSON.parse(readFileSync(join(kapPackageDir(), 'Questionnaire-spravato-rems-monitoring.json'), 'utf8'));
    expect(published).toEqual(sortKeysDeep(q));
  });
});

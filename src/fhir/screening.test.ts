/**
 * Screening Observations of a session (docs/design/issue-13-contract.md).
 */
import { describe, expect, test } from '@jest/globals';
import type { Observation } from '@medplum/fhirtypes';
import type { ScreeningResult } from '../kap/screening.js';
import { detailedEpisode } from './__test__/detailed-episode.js';
import { find, fullUrlIn, mapInput } from './__test__/mapped.js';

const KAP_CS = 'https://kap-fhir.org/fhir/CodeSystem/';
const DAR = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';

const bundle = mapInput(detailedEpisode());
const obs = (id: string): Observation => find(bundle, 'Observation', id);

describe('screening Observations', () => {
  test.each<[string, ScreeningResult, Partial<Observation>]>([
    ['s-01-screen-psychosis-or-mania-history', 'present', { valueBoolean: true }],
    ['s-01-screen-pregnancy', 'absent', { valueBoolean: false }],
    [
      's-01-screen-substance-use-disorder',
      'unknown',
      { dataAbsentReason: { coding: [{ system: DAR, code: 'asked-unknown', display: 'Asked But Unknown' }] } },
    ],
  ])('%s (%s)', (id, _result, value) => {
    const o = obs(id);
    expect({ valueBoolean: o.valueBoolean, dataAbsentReason: o.dataAbsentReason }).toEqual({
      valueBoolean: undefined,
      dataAbsentReason: undefined,
      ...value,
    });
    expect(o.code.coding?.[0]).toMatchObject({ system: `${KAP_CS}kap-screening`, code: id.replace('s-01-screen-', '') });
  });

  test('category survey, screenedAt, subject, encounter, profile', () => {
    const o = obs('s-01-screen-pregnancy');
    expect(o.category?.[0].coding?.map((c) => [c.system, c.code])).toEqual([[OBS_CATEGORY, 'survey']]);
    expect(o.effectiveDateTime).toBe('2026-03-02T09:20:00-05:00');
    expect(o.encounter?.reference).toBe(fullUrlIn(bundle, find(bundle, 'Encounter', 's-01')));
    expect(o.subject?.reference).toBe(fullUrlIn(bundle, find(bundle, 'Patient', 'pt-0042')));
    expect(o.meta?.profile).toEqual([`${SD}kap-screening`]);
    expect(o.partOf).toBeUndefined();
  });

  test('noneKnown → kap-screening#none-known valueBoolean true, beside the items asked', () => {
    const o = obs('s-03-screen-none-known');
    expect([o.code.coding?.[0].code, o.code.coding?.[0].display, o.valueBoolean]).toEqual([
      'none-known',
      'No contraindication or precaution known',
      true,
    ]);
    expect(obs('s-03-screen-pregnancy').valueBoolean).toBe(false);
  });

  test('items not asked and sessions without a screening give no Observation', () => {
    expect(() => obs('s-01-screen-ketamine-hypersensitivity')).toThrow();
    expect(() => obs('s-01-screen-none-known')).toThrow();
    expect(() => obs('s-07-screen-none-known')).toThrow();
  });
});

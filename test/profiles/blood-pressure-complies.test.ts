/**
 * kap-blood-pressure declares (structuredefinition-compliesWithProfile) that what validates against it validates
 * against core `bp`, so the validator does not run `bp` a second time where R4 implies it for an 85354-9
 * Observation (src/validation/validator.ts). This test holds the claim: the package's example and a variant
 * breaking each rule of `bp` get the same verdict from the KAP profile alone as from core `bp` alone.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation, OperationOutcome } from '@medplum/fhirtypes';
import { hasErrors } from '../../src/outcomes.js';
import { kapPackageDir, Validator } from '../../src/validation/index.js';

const KAP_BP = 'https://kap-fhir.org/fhir/StructureDefinition/kap-blood-pressure';
const BP = 'http://hl7.org/fhir/StructureDefinition/bp';

const example = JSON.parse(readFileSync(join(kapPackageDir(), 'example', 'Observation-ExampleBloodPressure.json'), 'utf8')) as Observation;
const { meta: _meta, ...bare } = example;

type Change = (o: Observation) => void;
const systolic = (o: Observation): NonNullable<Observation['component']>[number] => (o.component ?? [])[0];

/** Each breaks one rule of core `bp` (or of vitalsigns under it). */
const VARIANTS: [string, Change][] = [
  ['as given', () => undefined],
  ['no systolic component', (o) => void o.component?.splice(0, 1)],
  ['no diastolic component', (o) => void o.component?.splice(1, 1)],
  ['systolic in mmHg, not mm[Hg]', (o) => void (systolic(o).valueQuantity = { ...systolic(o).valueQuantity, code: 'mmHg' })],
  ['systolic unit without UCUM system', (o) => void delete systolic(o).valueQuantity?.system],
  ['systolic without value or data-absent reason', (o) => void delete systolic(o).valueQuantity],
  ['no panel code', (o) => void (o.code = { coding: [{ system: 'http://loinc.org', code: '55284-4' }] })],
  ['no subject', (o) => void delete o.subject],
  ['no effective[x]', (o) => void delete o.effectiveDateTime],
  ['no vital-signs category', (o) => void (o.category = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam' }] }])],
  ['a value on the panel itself', (o) => void (o.valueString = 'high')],
  ['systolic with a data-absent reason instead of a value', (o) => {
    delete systolic(o).valueQuantity;
    systolic(o).dataAbsentReason = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error' }] };
  }],
];

function variant(change: Change): Observation {
  const o = structuredClone(bare) as Observation;
  change(o);
  return o;
}

const errors = (o: OperationOutcome): string[] =>
  (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.code} ${i.expression?.join(',')}`);

describe('kap-blood-pressure complies with core bp', () => {
  const validator = new Validator();

  test('the profile declares the claim the validator relies on', () => {
    const sd = validator.store.getStructureDefinition(KAP_BP);
    expect(sd?.extension).toContainEqual({ url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-compliesWithProfile', valueCanonical: BP });
  });

  test.each(VARIANTS)('%s: the KAP profile rejects what bp rejects', (_name, change) => {
    const o = variant(change);
    const byBp = validator.validate(o, { profile: BP });
    const byKap = validator.validate({ ...o, meta: { profile: [KAP_BP] } });
    if (hasErrors(byBp)) {
      expect(errors(byKap)).not.toEqual([]);
    } else {
      expect(errors(byKap)).toEqual([]);
    }
  });

  test('the claim is not empty: bp rejects most variants', () => {
    const rejected = VARIANTS.filter(([, change]) => hasErrors(validator.validate(variant(change), { profile: BP })));
    expect(rejected.length).toBeGreaterThanOrEqual(VARIANTS.length - 3);
  });
});

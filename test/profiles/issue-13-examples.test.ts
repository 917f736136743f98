/**
 * The examples and rules of the profiles issue 13 adds (docs/design/issue-13-contract.md): each story the contract
 * names has a package example that the KAP validator (src/validation) accepts, and a broken copy of it is refused
 * for the rule the profile states (invariant, required binding, cardinality, fixed value) by the KAP validator or
 * by Medplum's (each misses some: the KAP validator the positiveInt range and a fixed value inside a choice type,
 * Medplum every binding). Neither checks a binding inside a component slice nor a contained resource against its
 * profile: the transport home, the recommended dose's unit and the contained product's form are left to a full
 * FHIR validator (docs/profiles.md).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../../src/fhir/definitions.js';
import { kapProfile } from '../../src/terminology/systems.js';
import { completeSnapshot } from '../../src/validation/snapshot-fixes.js';
import { Validator } from '../../src/validation/validator.js';
import { packageExamples, packageStructureDefinitions } from './package-files.js';

type Json = Record<string, any>;

const examples = packageExamples() as Json[];
const validator = new Validator();

const medplumProfiles = new Map<string, StructureDefinition>();

beforeAll(() => {
  loadBaseDefinitions();
  for (const sd of packageStructureDefinitions()) {
    const readable = completeSnapshot(sd);
    loadDataType(readable);
    medplumProfiles.set(sd.url, readable);
  }
});

function errorsOf(issues: OperationOutcomeIssue[]): string[] {
  return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').flatMap((i) => (i.expression ?? []).map((e) => `${i.code} ${e}`));
}

function errors(o: OperationOutcome): string[] {
  return errorsOf(o.issue ?? []);
}

/** Medplum's errors for a resource against the profile it declares. */
function medplumErrors(r: Json): string[] {
  try {
    return errorsOf(validateResource(r as Resource, { profile: medplumProfiles.get(r.meta?.profile?.[0]) }));
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return errorsOf(err.outcome.issue ?? []);
    }
    throw err;
  }
}

function declares(r: Json, id: string): boolean {
  return (r.meta?.profile ?? []).includes(kapProfile(id));
}

function example(id: string): Json {
  const found = examples.find((r) => r.id === id);
  if (!found) {
    throw new Error(`no example ${id}`);
  }
  return structuredClone(found);
}

/** The stories of the contract: [story, profile id, what the example must show]. */
const STORIES: [string, string, (r: Json) => boolean][] = [
  ['a held dose (not-done + statusReason)', 'kap-ketamine-administration', (r) => r.status === 'not-done' && r.statusReason?.[0]?.coding?.[0]?.code === 'blood-pressure-high'],
  [
    'a self-administered esketamine dose (patient performer, clinician witness, device count)',
    'kap-ketamine-administration',
    (r) =>
      r.performer?.[0]?.function?.coding?.[0]?.code === 'performer' &&
      r.performer?.[0]?.actor?.reference?.startsWith('Patient/') &&
      r.performer?.[1]?.function?.coding?.[0]?.code === 'witness' &&
      r.extension?.some((e: Json) => e.url === kapProfile('kap-device-count') && e.valuePositiveInt === 2),
  ],
  ['a lozenge dose with a contained Medication', 'kap-ketamine-administration', (r) => r.medicationReference?.reference === '#med' && r.contained?.[0]?.form?.coding?.[0]?.code === 'lozenge'],
  [
    'a mg/kg prescription with its sig',
    'kap-ketamine-prescription',
    (r) => r.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.code === 'mg/kg' && typeof r.dosageInstruction?.[0]?.text === 'string' && r.dosageInstruction[0].maxDosePerPeriod?.denominator?.value === 3 && r.dosageInstruction[0].maxDosePerPeriod.denominator.code === 'd',
  ],
  ['a sedation score', 'kap-sedation-score', (r) => Number.isInteger(r.valueInteger)],
  ['respiratory depression', 'kap-respiratory-depression', (r) => typeof r.valueBoolean === 'boolean'],
  ['discharge readiness with the transport home', 'kap-discharge-readiness', (r) => r.valueBoolean === true && r.component?.[0]?.code?.coding?.[0]?.code === 'discharge-transport'],
  ['a dosing plan with the recommended dose', 'kap-dosing-plan', (r) => r.valueCodeableConcept?.coding?.[0]?.code === 'increase' && r.component?.[0]?.valueQuantity?.code === 'mg'],
  ['a benzodiazepine MedicationStatement', 'kap-medication-statement', (r) => r.medicationCodeableConcept?.coding?.[0]?.code === 'benzodiazepine'],
  ['a "no known medications" MedicationStatement', 'kap-medication-statement', (r) => r.medicationCodeableConcept?.coding?.[0]?.code === 'no-known-medications'],
  ['a screening item answered', 'kap-screening', (r) => r.valueBoolean === false],
  ['a screening item asked but unknown', 'kap-screening', (r) => r.valueBoolean === undefined && r.dataAbsentReason?.coding?.[0]?.code === 'asked-unknown'],
  ['a PHQ-9 item 9 Observation', 'kap-phq9-item9', (r) => r.code?.coding?.[0]?.code === '44260-8' && r.derivedFrom?.length === 1],
  ['a change from baseline', 'kap-change-from-baseline', (r) => r.valueQuantity?.code === '%' && r.valueQuantity.value > 0 && r.derivedFrom?.length === 2 && r.component?.length === 3],
  ['a side effect with seriousness and outcome', 'kap-side-effect', (r) => r.seriousness?.coding?.[0]?.code === 'non-serious' && r.outcome?.coding?.[0]?.code === 'resolved'],
  ['a stand-alone compounded ketamine product', 'kap-compounded-ketamine', (r) => r.ingredient?.[0]?.strength?.denominator?.code === 'mL'],
];

describe('issue 13 example stories', () => {
  test.each(STORIES)('%s: an example shows it and validates', (_story, profileId, shows) => {
    const found = examples.filter((r) => declares(r, profileId) && shows(r));
    expect(found.length).toBeGreaterThanOrEqual(1);
    for (const r of found) {
      expect(errors(validator.validate(r as Resource))).toEqual([]);
    }
  });
});

/** [rule, example id, mutation, expected `<issue code> <expression>` among the errors]. */
const BROKEN: [string, string, (r: Json) => void, string][] = [
  ['a held dose without its reason (kap-17)', 'ExampleHeldDose', (r) => delete r.statusReason, 'invariant MedicationAdministration'],
  ['a dose status outside kap-dose-status-vs', 'ExampleHeldDose', (r) => (r.status = 'on-hold'), 'code-invalid MedicationAdministration.status'],
  ['a status reason outside kap-dose-status-reason-vs', 'ExampleHeldDose', (r) => (r.statusReason = [{ coding: [{ system: 'http://snomed.info/sct', code: '404684003' }] }]), 'code-invalid MedicationAdministration.statusReason[0]'],
  ['a medication reference that is not contained (kap-14)', 'ExampleLozengeDose', (r) => delete r.contained, 'invariant MedicationAdministration'],
  ['a performer function outside med-admin-perform-function', 'ExampleSelfAdministeredDose', (r) => (r.performer[0].function = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/med-admin-perform-function', code: 'supervisor' }] }), 'code-invalid MedicationAdministration.performer[0].function'],
  ['a device count that is not a positive integer', 'ExampleSelfAdministeredDose', (r) => (r.extension[0].valuePositiveInt = 0), 'structure MedicationAdministration.extension[0].value[x]'],
  ['a prescription without its sig', 'ExampleIvPrescription', (r) => delete r.dosageInstruction[0].text, 'structure MedicationRequest.dosageInstruction[0].text'],
  ['a prescribed dose unit neither mg nor mg/kg', 'ExampleIvPrescription', (r) => (r.dosageInstruction[0].doseAndRate[0].doseQuantity.code = 'g'), 'code-invalid MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.code'],
  ['a prescription referring to a product it does not contain (kap-15)', 'ExampleIvPrescription', (r) => delete r.contained, 'invariant MedicationRequest'],
  ['a MOAA/S above 5 (kap-13)', 'ExampleSedationScore', (r) => (r.valueInteger = 6), 'invariant Observation'],
  ['respiratory depression without its value', 'ExampleRespiratoryDepression', (r) => delete r.valueBoolean, 'structure Observation.value[x]'],
  ['a plan without its author', 'ExampleDosingPlan', (r) => delete r.performer, 'structure Observation.performer'],
  ['a plan recommendation outside kap-dosing-plan-vs', 'ExampleDosingPlan', (r) => (r.valueCodeableConcept = { coding: [{ system: 'http://snomed.info/sct', code: '404684003' }] }), 'code-invalid Observation.valueCodeableConcept'],
  ['a plan with two recommended doses', 'ExampleDosingPlan', (r) => r.component.push(structuredClone(r.component[0])), 'Observation.component'],
  ['a medication outside kap-current-medication-vs', 'ExampleMedicationStatementBenzodiazepine', (r) => (r.medicationCodeableConcept = { coding: [{ system: 'http://snomed.info/sct', code: '404684003' }] }), 'code-invalid MedicationStatement.medicationCodeableConcept'],
  ['a MedicationStatement without its session', 'ExampleMedicationStatementNone', (r) => delete r.context, 'structure MedicationStatement.context'],
  ['a screening item with neither value nor dataAbsentReason (kap-16)', 'ExampleScreeningPregnancyUnknown', (r) => delete r.dataAbsentReason, 'invariant Observation'],
  ['a screening item outside kap-screening-vs', 'ExampleScreeningVascular', (r) => (r.code = { coding: [{ system: 'https://kap-fhir.org/fhir/CodeSystem/kap-screening', code: 'diabetes' }] }), 'code-invalid Observation.code'],
  ['a screening answer that is not a boolean', 'ExampleScreeningVascular', (r) => { delete r.valueBoolean; r.valueString = 'no'; }, 'Observation.valueString'],
  ['a PHQ-9 item 9 not derived from its response', 'ExamplePhq9Item9', (r) => delete r.derivedFrom, 'structure Observation.derivedFrom'],
  ['a PHQ-9 item 9 answer outside LL358-3', 'ExamplePhq9Item9', (r) => (r.valueCodeableConcept = { coding: [{ system: 'http://loinc.org', code: 'LA33-6' }] }), 'code-invalid Observation.valueCodeableConcept'],
  ['a change from baseline in points instead of %', 'ExamplePhq9Change', (r) => (r.valueQuantity.code = '{score}'), 'structure Observation.value[x].code'],
  ['a change from baseline derived from one total only', 'ExamplePhq9Change', (r) => r.derivedFrom.pop(), 'structure Observation.derivedFrom'],
  ['a side effect seriousness spelt as the R4.0.1 bundled copy (Serious)', 'ExampleSideEffect', (r) => (r.seriousness.coding[0].code = 'Serious'), 'code-invalid AdverseEvent.seriousness'],
  ['a side effect outcome outside adverse-event-outcome', 'ExampleSideEffect', (r) => (r.outcome.coding[0].code = 'resolved-with-sequelae'), 'code-invalid AdverseEvent.outcome'],
  ['a compounded product that is not ketamine', 'ExampleCompoundedKetamine', (r) => (r.code.coding[0].code = '2201625'), 'Medication.code'],
];

describe('issue 13 rules refuse a broken example', () => {
  test.each(BROKEN)('%s', (_rule, id, mutate, expected) => {
    const r = example(id);
    mutate(r);
    const found = [...errors(validator.validate(r as Resource)), ...medplumErrors(r)];
    expect({ found, ok: found.some((e) => e === expected || e.endsWith(` ${expected}`)) }).toMatchObject({ ok: true });
  });
});

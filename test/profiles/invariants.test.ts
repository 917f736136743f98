/**
 * Every invariant of the KAP package (read from the compiled StructureDefinitions) is evaluated on a passing and a
 * failing sample with BOTH Medplum's FHIRPath and the `fhirpath` package, and the two agree with the expectation.
 * An invariant added to profiles/ without samples here fails the first test.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { evalFhirPathTyped, toTypedValue } from '@medplum/core';
import type { ElementDefinitionConstraint } from '@medplum/fhirtypes';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import { loadBaseDefinitions } from '../../src/fhir/definitions.js';
import {
  DATA_ABSENT_REASON,
  KAP_CSSRS_RISK,
  KAP_DOSE_STATUS_REASON,
  KAP_OBSERVATION,
  KAP_SCREENING,
  LOINC,
  RXNORM,
} from '../../src/terminology/systems.js';
import { packageStructureDefinitions } from './package-files.js';

type Sample = Record<string, unknown>;
interface Case {
  /** FHIR type the invariant's context is (the root of the StructureDefinition it sits on). */
  type: string;
  pass: Sample[];
  fail: Sample[];
}

function score(system: string, code: string, value?: number | string): Sample {
  const obs: Sample = { resourceType: 'Observation', status: 'final', code: { coding: [{ system, code }] } };
  if (typeof value === 'number') {
    obs.valueInteger = value;
  } else if (typeof value === 'string') {
    obs.valueString = value;
  }
  return obs;
}

function range(system: string, code: string, lo: number, hi: number): Case {
  return {
    type: 'Observation',
    pass: [score(system, code, lo), score(system, code, hi), score(LOINC, '8867-4', hi + 100)],
    fail: [score(system, code, lo - 1), score(system, code, hi + 1), score(system, code), score(system, code, String(lo))],
  };
}

const risk = (value: Sample): Sample => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: LOINC, code: '93374-7' }] },
  ...value,
});
const riskValue = { valueCodeableConcept: { coding: [{ system: KAP_CSSRS_RISK, code: 'low' }] } };

const ma = (dose?: number): Sample => ({
  resourceType: 'MedicationAdministration',
  status: 'completed',
  dosage: dose === undefined ? { route: { text: 'IM' } } : { dose: { value: dose, unit: 'mg' } },
});
const qr = (questionnaire: string): Sample => ({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire });
const ext = (value: Sample): Sample => ({ url: 'https://kap-fhir.org/fhir/StructureDefinition/kap-source-version', ...value });
const comm = (payload: Sample[]): Sample => ({ resourceType: 'Communication', status: 'completed', payload });
const moaas = (value: Sample): Sample => ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: KAP_OBSERVATION, code: 'moaas' }] }, ...value });
const med = { resourceType: 'Medication', id: 'med', code: { coding: [{ system: RXNORM, code: '6130' }] } };
const ketamine = { coding: [{ system: RXNORM, code: '6130' }] };
/** A MedicationAdministration or MedicationRequest naming its product by code, by reference, with or without `contained`. */
const product = (resourceType: string, value: Sample, contained?: Sample[]): Sample => ({
  resourceType,
  status: resourceType === 'MedicationRequest' ? 'active' : 'completed',
  ...(resourceType === 'MedicationRequest' ? { intent: 'order' } : {}),
  ...(contained ? { contained } : {}),
  ...value,
});
const productCase = (resourceType: string): Case => ({
  type: resourceType,
  pass: [
    product(resourceType, { medicationCodeableConcept: ketamine }),
    product(resourceType, { medicationReference: { reference: '#med' } }, [med]),
  ],
  fail: [
    product(resourceType, { medicationReference: { reference: 'Medication/med' } }, [med]),
    product(resourceType, { medicationReference: { reference: '#med' } }),
    product(resourceType, { medicationReference: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' } }),
  ],
});
const screen = (value: Sample): Sample => ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: KAP_SCREENING, code: 'pregnancy' }] }, ...value });
const dose = (status: string, reason?: string): Sample => ({
  resourceType: 'MedicationAdministration',
  status,
  ...(reason ? { statusReason: [{ coding: [{ system: KAP_DOSE_STATUS_REASON, code: reason }] }] } : {}),
});

/** Samples per invariant key. */
const CASES: Record<string, Case> = {
  'kap-1': range(LOINC, '44261-6', 0, 27),
  'kap-2': range(LOINC, '70274-6', 0, 21),
  'kap-3': range(LOINC, '101698-9', 0, 80),
  'kap-4': range(KAP_OBSERVATION, 'madrs-total', 0, 60),
  'kap-5': range(KAP_OBSERVATION, 'qids-sr16-total', 0, 27),
  'kap-6': range(KAP_OBSERVATION, 'cadss6-total', 0, 24),
  'kap-11': {
    type: 'Observation',
    pass: [risk(riskValue), score(LOINC, '44261-6', 9), score(KAP_OBSERVATION, 'cadss6-total', 3)],
    fail: [risk({ valueInteger: 2 }), risk({}), { ...score(LOINC, '44261-6'), ...riskValue }, score(LOINC, '70274-6')],
  },
  'kap-12': range(KAP_OBSERVATION, 'cadss-total', 0, 92),
  'kap-7': { type: 'MedicationAdministration', pass: [ma(56), ma(0.5), ma()], fail: [ma(0), ma(-10)] },
  'kap-8': {
    type: 'QuestionnaireResponse',
    pass: [qr('https://kap-fhir.org/fhir/Questionnaire/phq9'), qr('https://kap-fhir.org/fhir/Questionnaire/gad7|0.1.0')],
    fail: [qr('http://example.org/Questionnaire/phq9'), qr('https://kap-fhir.org/fhir/ValueSet/x')],
  },
  // issue 14: the Spravato REMS monitoring record (src/rems)
  'kap-rems-1': {
    type: 'QuestionnaireResponse',
    pass: [qr('https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring'), qr('https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring|1.0.0')],
    fail: [qr('https://kap-fhir.org/fhir/Questionnaire/phq9'), qr('https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring-2')],
  },
  'kap-rems-2': {
    type: 'QuestionnaireResponse',
    pass: [{ ...qr('x'), status: 'in-progress' }, { ...qr('x'), status: 'completed' }],
    fail: [{ ...qr('x'), status: 'stopped' }, { ...qr('x'), status: 'amended' }],
  },
  'kap-9': {
    type: 'Extension',
    pass: [ext({ valueInteger: 1 }), ext({ valueInteger: 12 })],
    fail: [ext({ valueInteger: 0 }), ext({ valueInteger: -3 }), ext({ valueString: '2' })],
  },
  'kap-13': {
    type: 'Observation',
    pass: [moaas({ valueInteger: 0 }), moaas({ valueInteger: 5 })],
    fail: [moaas({ valueInteger: -1 }), moaas({ valueInteger: 6 }), moaas({}), moaas({ valueString: '3' })],
  },
  'kap-14': productCase('MedicationAdministration'),
  'kap-15': productCase('MedicationRequest'),
  'kap-16': {
    type: 'Observation',
    pass: [screen({ valueBoolean: true }), screen({ valueBoolean: false }), screen({ dataAbsentReason: { coding: [{ system: DATA_ABSENT_REASON, code: 'asked-unknown' }] } })],
    fail: [screen({}), screen({ note: [{ text: 'asked' }] })],
  },
  'kap-17': {
    type: 'MedicationAdministration',
    pass: [dose('completed'), dose('not-done', 'blood-pressure-high'), dose('stopped', 'adverse-reaction'), dose('completed', 'other')],
    fail: [dose('not-done'), dose('stopped')],
  },
  'kap-10': {
    type: 'Communication',
    pass: [comm([{ contentReference: { reference: 'DetectedIssue/x' } }]), comm([{ contentString: 'see signal' }, { contentReference: { reference: 'urn:uuid:1' } }])],
    fail: [comm([{ contentString: 'no reference' }]), comm([])],
  },
};

/** Every KAP invariant with the root type of the StructureDefinition it sits on. */
function kapInvariants(): Map<string, { constraint: ElementDefinitionConstraint; roots: Set<string> }> {
  const found = new Map<string, { constraint: ElementDefinitionConstraint; roots: Set<string> }>();
  for (const sd of packageStructureDefinitions()) {
    for (const element of sd.differential?.element ?? []) {
      for (const c of element.constraint ?? []) {
        if (!c.key?.startsWith('kap-')) {
          continue;
        }
        expect(element.path).toBe(sd.type); // KAP invariants sit on the root
        const entry = found.get(c.key) ?? { constraint: c, roots: new Set<string>() };
        expect(c.severity).toBe('error');
        expect(entry.constraint.expression).toBe(c.expression);
        entry.roots.add(sd.type as string);
        found.set(c.key, entry);
      }
    }
  }
  return found;
}

function medplum(expression: string, type: string, sample: Sample): unknown[] {
  const input = type === 'Extension' ? { type, value: sample } : toTypedValue(sample);
  return evalFhirPathTyped(expression, [input]).map((v) => v.value);
}

function fhirpathJs(expression: string, type: string, sample: Sample): unknown[] {
  const base = type === 'Extension' ? { base: 'Extension', expression } : expression;
  return fhirpath.evaluate(sample, base, undefined, r4Model) as unknown[];
}

/** FHIR invariant semantics: satisfied when the expression evaluates to `true`. */
function holds(result: unknown[]): boolean {
  return result.length === 1 && result[0] === true;
}

const invariants = kapInvariants();

beforeAll(() => {
  loadBaseDefinitions();
});

describe('KAP invariants', () => {
  test('every invariant in the package has samples, and every sample set names an invariant', () => {
    expect([...invariants.keys()].sort()).toEqual(Object.keys(CASES).sort());
    for (const [key, { roots }] of invariants) {
      expect([...roots]).toEqual([CASES[key].type]);
    }
  });

  test('invariants use value.ofType(...), never valueInteger', () => {
    for (const { constraint } of invariants.values()) {
      expect(constraint.expression).not.toMatch(/\bvalue(Integer|Quantity|String|Decimal)\b/);
      expect(constraint.severity).toBe('error');
    }
  });

  describe.each(Object.entries(CASES))('%s', (key, c) => {
    const expression = (): string => invariants.get(key)?.constraint.expression as string;

    test.each(c.pass.map((s, i) => [i, s] as const))('passing sample %d holds in both engines', (_i, sample) => {
      expect(holds(medplum(expression(), c.type, sample))).toBe(true);
      expect(holds(fhirpathJs(expression(), c.type, sample))).toBe(true);
    });

    test.each(c.fail.map((s, i) => [i, s] as const))('failing sample %d fails in both engines', (_i, sample) => {
      const a = medplum(expression(), c.type, sample);
      const b = fhirpathJs(expression(), c.type, sample);
      expect(holds(a)).toBe(false);
      expect(holds(b)).toBe(false);
      expect(a).toEqual(b);
    });
  });
});

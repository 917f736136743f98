/**
 * The terminology constants against ../shared/reference/clinical-codes.md, written as literals here.
 */
import { describe, expect, test } from '@jest/globals';
import { INDICATION_CODES, indicationCoding } from './conditions.js';
import { PRODUCT_CODES, RXNORM_SPRAVATO } from './medications.js';
import { psychotherapyCptFor, SNOMED_PSYCHOTHERAPY } from './procedures.js';
import { ROUTE_CODES } from './routes.js';
import { ADVERSE_EVENT_SEVERITIES, SIDE_EFFECT_CODES } from './side-effects.js';
import { DOSE_FORM_CODES, DOSE_STATUS_REASON_CODES, DOSING_PLAN_CODES, DISCHARGE_TRANSPORT_CODES } from './dosing-codes.js';
import { MEDICATION_CLASS_CODES } from './medication-review-codes.js';
import { SCREENING_CODES } from './screening-codes.js';
import { HCPCS_ESKETAMINE_1MG, HCPCS_ESKETAMINE_1MG_BEFORE_2026, RXNORM_KETAMINE } from './unverified.js';
import { DOSE_FORMS } from '../kap/dose-form.js';
import { DOSE_STATUS_REASONS } from '../kap/dosing-session.js';
import { PLAN_RECOMMENDATIONS } from '../kap/dosing-plan.js';
import { DISCHARGE_TRANSPORTS } from '../kap/discharge.js';
import { MEDICATION_CLASSES } from '../kap/medication-review.js';
import { SCREENING_ITEMS } from '../kap/screening.js';
import * as vitals from './vital-signs.js';

const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LOINC = 'http://loinc.org';
const pair = (c: { system: string; code: string }): string => `${c.system}|${c.code}`;

describe('terminology constants match clinical-codes.md', () => {
  test('§3 routes (SNOMED CT)', () => {
    expect(Object.fromEntries(Object.entries(ROUTE_CODES).map(([k, c]) => [k, pair(c)]))).toEqual({
      iv: `${SNOMED}|47625008`,
      im: `${SNOMED}|78421000`,
      intranasal: `${SNOMED}|46713006`,
      oral: `${SNOMED}|26643006`,
      sublingual: `${SNOMED}|37839007`,
      buccal: `${SNOMED}|54471007`,
    });
  });

  test('§2 medications (RxNorm); 6130 is kept in unverified.ts', () => {
    expect(pair(PRODUCT_CODES.ketamine)).toBe(`${RXNORM}|6130`);
    expect(PRODUCT_CODES.ketamine).toBe(RXNORM_KETAMINE);
    expect(pair(PRODUCT_CODES.esketamine)).toBe(`${RXNORM}|2201623`);
    expect(pair(RXNORM_SPRAVATO)).toBe(`${RXNORM}|2201625`);
  });

  test('§4 vital signs (LOINC)', () => {
    expect(
      [
        vitals.LOINC_BP_PANEL,
        vitals.LOINC_SYSTOLIC,
        vitals.LOINC_DIASTOLIC,
        vitals.LOINC_HEART_RATE,
        vitals.LOINC_RESPIRATORY_RATE,
        vitals.LOINC_SPO2,
        vitals.LOINC_SPO2_PULSE_OXIMETRY,
        vitals.LOINC_BODY_WEIGHT,
      ].map(pair)
    ).toEqual(['85354-9', '8480-6', '8462-4', '8867-4', '9279-1', '2708-6', '59408-5', '29463-7'].map((c) => `${LOINC}|${c}`));
  });

  test('§6 indications (ICD-10-CM): exactly the 18 listed codes', () => {
    expect([...INDICATION_CODES].sort()).toEqual(
      ['F31.30', 'F31.4', 'F31.5', 'F32.0', 'F32.1', 'F32.2', 'F32.9', 'F32.A', 'F33.0', 'F33.1', 'F33.2', 'F33.9', 'F41.1', 'F42.2', 'F43.10', 'F43.12', 'G89.29', 'G89.4'].sort()
    );
    expect(indicationCoding('F43.12')).toEqual({
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'F43.12',
      display: 'Post-traumatic stress disorder, chronic',
    });
  });

  test('§7 procedures: SNOMED 75516001 and CPT by duration', () => {
    expect(pair(SNOMED_PSYCHOTHERAPY)).toBe(`${SNOMED}|75516001`);
    expect([10, 16, 37, 38, 52, 53].map((m) => psychotherapyCptFor(m)?.code)).toEqual([
      undefined,
      '90832',
      '90832',
      '90834',
      '90834',
      '90837',
    ]);
    expect(psychotherapyCptFor(60)?.system).toBe('http://www.ama-assn.org/go/cpt');
  });

  test('§8 side effects (SNOMED CT findings; dissociation local)', () => {
    expect(Object.fromEntries(Object.entries(SIDE_EFFECT_CODES).map(([k, c]) => [k, pair(c)]))).toEqual({
      nausea: `${SNOMED}|422587007`,
      vomiting: `${SNOMED}|422400008`,
      dizziness: `${SNOMED}|404640003`,
      headache: `${SNOMED}|25064002`,
      'elevated-blood-pressure': `${SNOMED}|24184005`,
      anxiety: `${SNOMED}|48694002`,
      sedation: `${SNOMED}|271782001`,
      dissociation: 'https://kap-fhir.org/fhir/CodeSystem/kap-side-effect|dissociation',
    });
    expect(Object.values(ADVERSE_EVENT_SEVERITIES).map(pair)).toEqual(
      ['mild', 'moderate', 'severe'].map((c) => `http://terminology.hl7.org/CodeSystem/adverse-event-severity|${c}`)
    );
  });

  test('§7 HCPCS: J0013 replaces S0013 (terminated 2026-01-01); both billing only', () => {
    const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
    expect(pair(HCPCS_ESKETAMINE_1MG)).toBe(`${HCPCS}|J0013`);
    expect(pair(HCPCS_ESKETAMINE_1MG_BEFORE_2026)).toBe(`${HCPCS}|S0013`);
  });
});

describe('the local code systems of issue 13: codes = the KAP JSON enum values', () => {
  const CS = 'https://kap-fhir.org/fhir/CodeSystem/';
  test.each<[string, Readonly<Record<string, { system: string; code: string }>>, readonly string[]]>([
    ['kap-medication-class', MEDICATION_CLASS_CODES, MEDICATION_CLASSES],
    ['kap-screening', SCREENING_CODES, [...SCREENING_ITEMS, 'none-known']],
    ['kap-dose-status-reason', DOSE_STATUS_REASON_CODES, DOSE_STATUS_REASONS],
    ['kap-dose-form', DOSE_FORM_CODES, DOSE_FORMS],
    ['kap-dosing-plan', DOSING_PLAN_CODES, PLAN_RECOMMENDATIONS],
    ['kap-discharge-transport', DISCHARGE_TRANSPORT_CODES, DISCHARGE_TRANSPORTS],
  ])('%s', (name, codes, values) => {
    expect(Object.keys(codes)).toEqual([...values]);
    expect(Object.entries(codes).map(([k, c]) => [k, pair(c)])).toEqual(values.map((v) => [v, `${CS}${name}|${v}`]));
  });
});

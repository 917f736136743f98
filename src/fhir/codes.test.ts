/**
 * Every mapped code against ../shared/reference/clinical-codes.md, written here as literals (never imported
 * from src/terminology) so that a wrong constant fails this test. One example of each resource kind.
 */
import { describe, expect, test } from '@jest/globals';
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { detailedEpisode } from './__test__/detailed-episode.js';
import { find, mapInput, mappedFixture } from './__test__/mapped.js';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const UCUM = 'http://unitsofmeasure.org';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const CPT = 'http://www.ama-assn.org/go/cpt';
const NPI = 'http://hl7.org/fhir/sid/us-npi';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const AE_SEVERITY = 'http://terminology.hl7.org/CodeSystem/adverse-event-severity';
const KAP_CS = 'https://kap-fhir.org/fhir/CodeSystem/';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';

const sc = (c: Coding | undefined): [string | undefined, string | undefined] => [c?.system, c?.code];
const codes = (cc: CodeableConcept | undefined): [string | undefined, string | undefined][] => (cc?.coding ?? []).map(sc);

const bundle = mappedFixture();

describe('mapped codes match clinical-codes.md', () => {
  test('Organization and Practitioner: NPI', () => {
    expect(find(bundle, 'Organization', 'sunrise-kap').identifier?.[1]).toEqual({ system: NPI, value: '1234567893' });
    expect(find(bundle, 'Practitioner', 'pr-md-1').identifier?.[1]).toEqual({ system: NPI, value: '1245319599' });
  });

  test('CareTeam: kap-care-role', () => {
    const ct = find(bundle, 'CareTeam', 'ep-1001');
    expect(ct.participant?.map((p) => p.role?.flatMap(codes))).toEqual([
      [[`${KAP_CS}kap-care-role`, 'therapist']],
      [[`${KAP_CS}kap-care-role`, 'prescriber']],
      [
        [`${KAP_CS}kap-care-role`, 'administering-clinician'],
        [`${KAP_CS}kap-care-role`, 'sitter'],
      ],
    ]);
  });

  test('Patient: MRN type from HL7 v2-0203', () => {
    const p = find(bundle, 'Patient', 'pt-0042');
    expect(codes(p.identifier?.[1]?.type)).toEqual([['http://terminology.hl7.org/CodeSystem/v2-0203', 'MR']]);
  });

  test('Condition: ICD-10-CM, treatment-resistant qualifier, status and category', () => {
    const c = find(bundle, 'Condition', 'dx-1');
    expect(codes(c.code)).toEqual([[ICD10CM, 'F33.2']]);
    expect(c.extension).toEqual([
      {
        url: `${SD}kap-condition-qualifier`,
        valueCodeableConcept: {
          coding: [{ system: `${KAP_CS}kap-condition-qualifier`, code: 'treatment-resistant', display: 'Treatment-resistant' }],
        },
      },
    ]);
    expect(codes(c.clinicalStatus)).toEqual([['http://terminology.hl7.org/CodeSystem/condition-clinical', 'active']]);
    expect(codes(c.verificationStatus)).toEqual([['http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed']]);
    expect(codes(c.category?.[0])).toEqual([['http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item']]);
    expect(codes(find(bundle, 'Condition', 'dx-2').code)).toEqual([[ICD10CM, 'F41.1']]);
    expect(find(bundle, 'Condition', 'dx-2').extension).toBeUndefined();
  });

  test('MedicationRequest: RxNorm product (racemic ketamine in a contained Medication), SNOMED route, UCUM doses', () => {
    const iv = find(bundle, 'MedicationRequest', 'rx-1');
    expect(iv.medicationCodeableConcept).toBeUndefined();
    expect(iv.medicationReference).toEqual({ reference: '#med' });
    expect(iv.contained?.map((c) => c.resourceType === 'Medication' && [c.id, codes(c.code)])).toEqual([['med', [[RXNORM, '6130']]]]);
    expect(codes(iv.dosageInstruction?.[0].route)).toEqual([[SNOMED, '47625008']]);
    expect(iv.dosageInstruction?.[0].extension?.[0].valueQuantity).toEqual({ value: 0.5, unit: 'mg/kg', system: UCUM, code: 'mg/kg' });
    const esk = find(bundle, 'MedicationRequest', 'rx-2');
    expect(codes(esk.medicationCodeableConcept)).toEqual([[RXNORM, '2201623']]);
    expect(codes(esk.dosageInstruction?.[0].route)).toEqual([[SNOMED, '46713006']]);
    expect(esk.dosageInstruction?.[0].doseAndRate?.[0].doseQuantity).toEqual({ value: 56, unit: 'mg', system: UCUM, code: 'mg' });
  });

  test('Encounter: class AMB, kap-session-type', () => {
    const e = find(bundle, 'Encounter', 's-03');
    expect(sc(e.class)).toEqual([ACT_CODE, 'AMB']);
    expect(codes(e.type?.[0])).toEqual([[`${KAP_CS}kap-session-type`, 'dosing']]);
    expect(codes(find(bundle, 'Encounter', 's-06').type?.[0])).toEqual([[`${KAP_CS}kap-session-type`, 'follow-up']]);
  });

  test('MedicationAdministration: RxNorm (contained for racemic ketamine), SNOMED route (IV, IM), UCUM mg', () => {
    const ma = find(bundle, 'MedicationAdministration', 's-03');
    expect(ma.medicationCodeableConcept).toBeUndefined();
    expect(ma.medicationReference).toEqual({ reference: '#med' });
    expect(ma.contained?.map((c) => c.resourceType === 'Medication' && [c.id, codes(c.code)])).toEqual([['med', [[RXNORM, '6130']]]]);
    expect(codes(ma.dosage?.route)).toEqual([[SNOMED, '47625008']]);
    expect(ma.dosage?.dose).toEqual({ value: 41.2, unit: 'mg', system: UCUM, code: 'mg' });
    expect(codes(find(bundle, 'MedicationAdministration', 's-04').dosage?.route)).toEqual([[SNOMED, '78421000']]);
  });

  test('Procedure: SNOMED 75516001 + CPT by duration, no CPT for dosing', () => {
    expect(codes(find(bundle, 'Procedure', 's-02').code)).toEqual([
      [SNOMED, '75516001'],
      [CPT, '90834'],
    ]);
    expect(codes(find(bundle, 'Procedure', 's-05').code)).toEqual([
      [SNOMED, '75516001'],
      [CPT, '90837'],
    ]);
    expect(codes(find(bundle, 'Procedure', 's-03').code)).toEqual([[SNOMED, '75516001']]);
  });

  test('Observation vital signs: category, LOINC, UCUM', () => {
    const bp = find(bundle, 'Observation', 'v-1');
    expect(codes(bp.category?.[0])).toEqual([[OBS_CATEGORY, 'vital-signs']]);
    expect(codes(bp.code)).toEqual([[LOINC, '85354-9']]);
    expect(bp.component?.map((c) => [...codes(c.code), c.valueQuantity?.system, c.valueQuantity?.code])).toEqual([
      [[LOINC, '8480-6'], UCUM, 'mm[Hg]'],
      [[LOINC, '8462-4'], UCUM, 'mm[Hg]'],
    ]);
    const hr = find(bundle, 'Observation', 'v-2');
    expect([codes(hr.code), hr.valueQuantity?.system, hr.valueQuantity?.code]).toEqual([[[LOINC, '8867-4']], UCUM, '/min']);
    const spo2 = find(bundle, 'Observation', 'v-3');
    expect([codes(spo2.code), spo2.valueQuantity?.code]).toEqual([
      [
        [LOINC, '2708-6'],
        [LOINC, '59408-5'],
      ],
      '%',
    ]);
    const rr = find(bundle, 'Observation', 'v-4');
    expect([codes(rr.code), rr.valueQuantity?.code]).toEqual([[[LOINC, '9279-1']], '/min']);
    const weight = find(bundle, 'Observation', 's-03-weight');
    expect([codes(weight.code), weight.valueQuantity]).toEqual([[[LOINC, '29463-7']], { value: 82.4, unit: 'kg', system: UCUM, code: 'kg' }]);
    expect(bp.extension).toEqual([{ url: `${SD}kap-dosing-phase`, valueCode: 'pre-dose' }]);
  });

  test('Observation dissociation: kap-observation#cadss6-total, survey', () => {
    const d = find(bundle, 'Observation', 's-03-cadss6');
    expect(codes(d.code)).toEqual([[`${KAP_CS}kap-observation`, 'cadss6-total']]);
    expect(codes(d.category?.[0])).toEqual([[OBS_CATEGORY, 'survey']]);
  });

  test('Observation instrument total: PHQ-9 LOINC 44261-6, survey, severity band', () => {
    const o = find(bundle, 'Observation', 'qr-1');
    expect(codes(o.code)).toEqual([[LOINC, '44261-6']]);
    expect(codes(o.category?.[0])).toEqual([[OBS_CATEGORY, 'survey']]);
    expect(o.valueInteger).toBe(14);
    expect(codes(o.interpretation?.[0])).toEqual([[`${KAP_CS}kap-severity-band`, 'moderate']]);
  });

  test('QuestionnaireResponse: LOINC LA answer codes (PHQ LL358-3)', () => {
    const qr = find(bundle, 'QuestionnaireResponse', 'qr-1');
    expect(qr.questionnaire).toBe('https://kap-fhir.org/fhir/Questionnaire/phq9');
    expect(qr.item?.slice(0, 3).map((i) => [i.linkId, sc(i.answer?.[0].valueCoding)])).toEqual([
      ['phq9-1', [LOINC, 'LA6570-1']],
      ['phq9-2', [LOINC, 'LA6571-9']],
      ['phq9-3', [LOINC, 'LA6570-1']],
    ]);
    expect(sc(qr.item?.[8].answer?.[0].valueCoding)).toEqual([LOINC, 'LA6568-5']);
  });

  test('AdverseEvent: SNOMED finding or kap-side-effect, adverse-event-severity', () => {
    const nausea = find(bundle, 'AdverseEvent', 'ae-1');
    expect(codes(nausea.event)).toEqual([[SNOMED, '422587007']]);
    expect(codes(nausea.severity)).toEqual([[AE_SEVERITY, 'mild']]);
    const dissociation = find(bundle, 'AdverseEvent', 'ae-2');
    expect(codes(dissociation.event)).toEqual([[`${KAP_CS}kap-side-effect`, 'dissociation']]);
    expect(codes(dissociation.severity)).toEqual([[AE_SEVERITY, 'moderate']]);
  });

  test('Provenance: v3-DataOperation UPDATE', () => {
    const prov = bundle.entry?.find((e) => e.resource?.resourceType === 'Provenance')?.resource;
    expect(prov?.resourceType === 'Provenance' && codes(prov.activity)).toEqual([
      ['http://terminology.hl7.org/CodeSystem/v3-DataOperation', 'UPDATE'],
    ]);
  });
});

describe('codes of issue 13 (docs/design/issue-13-contract.md), literally', () => {
  const b = mapInput(detailedEpisode());
  const first = (cc: CodeableConcept | undefined): [string | undefined, string | undefined, string | undefined] => [
    cc?.coding?.[0]?.system,
    cc?.coding?.[0]?.code,
    cc?.coding?.[0]?.display,
  ];

  test('MedicationStatement: kap-medication-class, IPS no-known-medications', () => {
    expect(first(find(b, 'MedicationStatement', 's-01-med-m-2').medicationCodeableConcept)).toEqual([
      `${KAP_CS}kap-medication-class`,
      'maoi',
      'Monoamine oxidase inhibitor',
    ]);
    expect(first(find(b, 'MedicationStatement', 's-03-med-none').medicationCodeableConcept)).toEqual([
      'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips',
      'no-known-medications',
      'No known medications',
    ]);
  });

  test('screening: kap-screening, data-absent-reason asked-unknown', () => {
    expect(first(find(b, 'Observation', 's-01-screen-psychosis-or-mania-history').code)).toEqual([
      `${KAP_CS}kap-screening`,
      'psychosis-or-mania-history',
      'History of psychosis or mania',
    ]);
    expect(first(find(b, 'Observation', 's-01-screen-substance-use-disorder').dataAbsentReason)).toEqual([
      'http://terminology.hl7.org/CodeSystem/data-absent-reason',
      'asked-unknown',
      'Asked But Unknown',
    ]);
  });

  test('sedation, respiratory depression, discharge: kap-observation codes, category exam', () => {
    expect(first(find(b, 'Observation', 'v-6').code)).toEqual([`${KAP_CS}kap-observation`, 'moaas', 'MOAA/S score']);
    expect(first(find(b, 'Observation', 'v-6').category?.[0])).toEqual([OBS_CATEGORY, 'exam', 'Exam']);
    expect(first(find(b, 'Observation', 's-03-resp-depression').code)).toEqual([
      `${KAP_CS}kap-observation`,
      'respiratory-depression',
      'Respiratory depression observed',
    ]);
    expect(first(find(b, 'Observation', 's-03-discharge').component?.[0].valueCodeableConcept)).toEqual([
      `${KAP_CS}kap-discharge-transport`,
      'responsible-adult',
      'Escorted by a responsible adult',
    ]);
    expect(first(find(b, 'Observation', 's-03-plan').valueCodeableConcept)).toEqual([
      `${KAP_CS}kap-dosing-plan`,
      'increase',
      'Increase the dose',
    ]);
  });

  test('MedicationAdministration: dose status reason, dose form, perform function', () => {
    expect(first(find(b, 'MedicationAdministration', 's-08').statusReason?.[0])).toEqual([
      `${KAP_CS}kap-dose-status-reason`,
      'adverse-reaction',
      'Adverse reaction',
    ]);
    const med = find(b, 'MedicationAdministration', 's-08').contained?.[0];
    expect(med?.resourceType === 'Medication' && first(med.form)).toEqual([`${KAP_CS}kap-dose-form`, 'lozenge', 'Lozenge (troche)']);
    expect(find(b, 'MedicationAdministration', 's-07').performer?.map((p) => first(p.function))).toEqual([
      ['http://terminology.hl7.org/CodeSystem/med-admin-perform-function', 'performer', 'Performer'],
      ['http://terminology.hl7.org/CodeSystem/med-admin-perform-function', 'witness', 'Witness'],
    ]);
  });

  test('AdverseEvent: adverse-event-seriousness, adverse-event-outcome', () => {
    const ae = find(b, 'AdverseEvent', 'ae-3');
    expect(first(ae.seriousness)).toEqual(['http://terminology.hl7.org/CodeSystem/adverse-event-seriousness', 'serious', 'Serious']);
    expect(first(ae.outcome)).toEqual([
      'http://terminology.hl7.org/CodeSystem/adverse-event-outcome',
      'resolvedWithSequelae',
      'Resolved with Sequelae',
    ]);
  });
});

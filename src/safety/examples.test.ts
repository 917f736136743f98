import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { idsOf, mapped } from './__test__/episode-fixture.js';
import { detectSignals } from './detect-signals.js';

/** The examples/ episodes (examples/README.md) give exactly the signals their stories imply. */
function signalsOf(name: string): string[] {
  const bundle = mapped(JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8')));
  return detectSignals(bundle).map((s) => [s.rule, s.severity, ...idsOf(bundle, s.resources)].join(' '));
}

describe('example episodes', () => {
  test('IV ketamine TRD: none (BP ≤ 131/84, SpO2 ≥ 96, dose = prescription, item 9 = 0, mild side effects)', () => {
    expect(signalsOf('iv-ketamine-trd')).toEqual([]);
  });
  test('sublingual lozenge PTSD with an outside prescriber: none', () => {
    expect(signalsOf('sublingual-lozenge-ptsd')).toEqual([]);
  });
  test('esketamine MDD: none (BP before and 40 min after, MOAA/S and no respiratory depression at 40 min, discharge 2 h 15 after the dose: a complete REMS record)', () => {
    expect(signalsOf('esketamine-mdd')).toEqual([]);
  });
  test('held dose: none (BP 174/106 and 168/102 before the dose, held for blood pressure; given 3 days later with full monitoring)', () => {
    expect(signalsOf('held-dose-bp')).toEqual([]);
  });
  test('self-administered esketamine with the REMS timings (BP pre / 40 min / before discharge, SpO2, 2 h 5 min): none', () => {
    expect(signalsOf('esketamine-self-administered')).toEqual([]);
  });
  test('screening precautions: psychosis history (attention), a benzodiazepine (sedation: attention; blunted response: information)', () => {
    expect(signalsOf('screening-precautions')).toEqual([
      'precaution-psychosis-history attention MedicationAdministration/q-02 Observation/q-01-screen-psychosis-or-mania-history',
      'interaction-sedation attention MedicationAdministration/q-02 MedicationStatement/q-02-med-m-1',
      'interaction-blunted-response information MedicationAdministration/q-02 MedicationStatement/q-02-med-m-1',
    ]);
  });
  test('IM ketamine with complications: PHQ-9 item 9 blank; C-SSRS Q2 No / Q4 Yes (high, contradictory); a partial dose stopped for severe, serious sedation with respiratory depression (RR 8, SpO2 88); a refused dose (nothing); pregnancy on the check-in screening and the dose still given (and the dose before it: a possible exposure)', () => {
    expect(signalsOf('im-ketamine-complications')).toEqual([
      'phq9-item9-unanswered attention QuestionnaireResponse/c-qr-3',
      'cssrs-high urgent QuestionnaireResponse/c-qr-4',
      'cssrs-inconsistent attention QuestionnaireResponse/c-qr-4',
      'respiratory-rate-low urgent Observation/c-02-rr-mid',
      'spo2-low urgent Observation/c-02-sp-mid',
      'respiratory-depression urgent Observation/c-02-resp-depression',
      // exposure in pregnancy: c-02 is the latest dose given before the pregnancy found at c-04's check-in
      'contraindication-pregnancy urgent MedicationAdministration/c-02 Observation/c-04-screen-pregnancy',
      'contraindication-pregnancy urgent MedicationAdministration/c-04 Observation/c-04-screen-pregnancy',
      'side-effect-severe urgent AdverseEvent/c-02-se-1',
      'side-effect-serious urgent AdverseEvent/c-02-se-1',
    ]);
  });
  test('urgent-signals: exactly three urgent signals — PHQ-9 item 9, pre-dose BP with dose given, dose above prescription', () => {
    expect(signalsOf('urgent-signals')).toEqual([
      'phq9-item9-positive urgent QuestionnaireResponse/u-qr-1',
      'bp-predose-high urgent Observation/u-02-bp-pre MedicationAdministration/u-02',
      'dose-above-prescription urgent MedicationAdministration/u-02 MedicationRequest/rx-im-1',
    ]);
  });
});

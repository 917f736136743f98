/**
 * MedicationStatements of a session's medication review (docs/design/issue-13-contract.md).
 */
import { describe, expect, test } from '@jest/globals';
import type { Bundle, MedicationStatement } from '@medplum/fhirtypes';
import { detailedEpisode, dosingInput } from './__test__/detailed-episode.js';
import { find, fullUrlIn, identifierValue, mapInput } from './__test__/mapped.js';

const KAP_CS = 'https://kap-fhir.org/fhir/CodeSystem/';
const IPS = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';

const statements = (b: Bundle): MedicationStatement[] =>
  (b.entry ?? []).map((e) => e.resource).filter((r): r is MedicationStatement => r?.resourceType === 'MedicationStatement');
const bundle = mapInput(detailedEpisode());
const byId = (id: string): MedicationStatement | undefined => statements(bundle).find((s) => identifierValue(s) === `ep-1001/${id}`);

describe('MedicationStatement', () => {
  test('one per reviewed medication (any session kind), and one "none"', () => {
    expect(statements(bundle).map(identifierValue)).toEqual(
      ['s-01-med-m-1', 's-01-med-m-2', 's-03-med-none', 's-07-med-m-1'].map((id) => `ep-1001/${id}`)
    );
  });

  test('classes: kap-medication-class coding, name as text only when given, status as recorded', () => {
    const rows = ['s-01-med-m-1', 's-01-med-m-2', 's-07-med-m-1'].map((id) => {
      const s = byId(id);
      return [s?.status, s?.medicationCodeableConcept?.coding?.[0].system, s?.medicationCodeableConcept?.coding?.[0].code, s?.medicationCodeableConcept?.text];
    });
    expect(rows).toEqual([
      ['active', `${KAP_CS}kap-medication-class`, 'benzodiazepine', 'Lorazepam 0.5 mg as needed'],
      ['stopped', `${KAP_CS}kap-medication-class`, 'maoi', undefined],
      ['on-hold', `${KAP_CS}kap-medication-class`, 'benzodiazepine', undefined],
    ]);
  });

  test('none: true → active, IPS no-known-medications', () => {
    const s = byId('s-03-med-none');
    expect([s?.status, s?.medicationCodeableConcept]).toEqual([
      'active',
      { coding: [{ system: IPS, code: 'no-known-medications', display: 'No known medications' }] },
    ]);
  });

  test('subject, context → the session Encounter, dateAsserted and effectiveDateTime = reviewedAt, profile', () => {
    const s = byId('s-01-med-m-2');
    expect(s?.context?.reference).toBe(fullUrlIn(bundle, find(bundle, 'Encounter', 's-01')));
    expect(s?.subject.reference).toBe(fullUrlIn(bundle, find(bundle, 'Patient', 'pt-0042')));
    expect([s?.effectiveDateTime, s?.dateAsserted]).toEqual(['2026-03-02T09:10:00-05:00', '2026-03-02T09:10:00-05:00']);
    expect(s?.meta?.profile).toEqual([`${SD}kap-medication-statement`]);
  });

  test('no review ("not asked") → no MedicationStatement for that session', () => {
    const b = mapInput(detailedEpisode(), (ep) => {
      delete dosingInput(ep, 's-03').medicationReview;
    });
    expect(statements(b).map(identifierValue)).not.toContain('ep-1001/s-03-med-none');
    expect(statements(b)).toHaveLength(3);
  });
});

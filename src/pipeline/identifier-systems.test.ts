import { describe, expect, test } from '@jest/globals';
import type { KapEpisode } from '../kap/episode.js';
import { clinicConfigSchema } from '../config/service-config.js';
import { clinicIdentifierSystem, NPI } from '../terminology/systems.js';
import { isKapNamespace } from '../terminology/kap-namespace.js';
import { FOREIGN_SYSTEM_TEXT, identifierSystemIssues, RESERVED_SYSTEM_TEXT } from './identifier-systems.js';

const A_MRN = 'urn:oid:2.16.840.1.113883.3.7418.1';
const B_MRN = 'https://ehr.clinic-b.example/mrn';
const clinics = [
  clinicConfigSchema.parse({ id: 'clinic-a', identifierSystems: [A_MRN] }),
  clinicConfigSchema.parse({ id: 'clinic-b', identifierSystems: [B_MRN, A_MRN] }),
  clinicConfigSchema.parse({ id: 'clinic-c' }),
];
const config = { clinics };

/** Only the patient's identifiers play a part. */
const partial = (episode: object): KapEpisode => episode as KapEpisode;

const episode = (...systems: string[]): KapEpisode =>
  partial({
    id: 'ep-1',
    patient: { id: 'pt-1', identifiers: systems.map((system) => ({ system, value: 'v-1' })) },
  });

/** The refused fields of an episode sent by a clinic, with the text of each refusal. */
const refused = (clinicId: string, ...systems: string[]) =>
  identifierSystemIssues(config, clinicId, episode(...systems)).map((i) => [i.expression?.[0], i.details?.text]);

describe('isKapNamespace', () => {
  test.each([
    [clinicIdentifierSystem('clinic-a'), true],
    ['https://kap-fhir.org/fhir/anything', true],
    ['HTTPS://KAP-FHIR.ORG/fhir/clinic/clinic-a', true],
    ['http://kap-fhir.org/other', true],
    ['https://kap-fhir.org:443/fhir/clinic/x', true],
    ['https://ids.kap-fhir.org/x', true],
    ['https://kap%2Dfhir.org/fhir/clinic/x', true],
    ['https://kap-fhir.org.example/x', false],
    ['urn:oid:1.2.3', false],
    [NPI, false],
  ])('%s → %s', (system, expected) => {
    expect(isKapNamespace(system)).toBe(expected);
  });
});

describe('identifierSystemIssues', () => {
  test('kap-fhir namespaces are refused for everyone, the clinic’s own KAP system included', () => {
    expect(refused('clinic-c', clinicIdentifierSystem('clinic-a'), clinicIdentifierSystem('clinic-c'))).toEqual([
      ['patient.identifiers[0].system', RESERVED_SYSTEM_TEXT],
      ['patient.identifiers[1].system', RESERVED_SYSTEM_TEXT],
    ]);
  });

  test('a clinic without configured systems may use any other system, except another clinic’s (loosely compared)', () => {
    expect(refused('clinic-c', 'urn:oid:9.9.9', NPI)).toEqual([]);
    expect(refused('clinic-c', B_MRN, `${B_MRN.toUpperCase()}/`)).toEqual([
      ['patient.identifiers[0].system', FOREIGN_SYSTEM_TEXT],
      ['patient.identifiers[1].system', FOREIGN_SYSTEM_TEXT],
    ]);
  });

  test('a clinic with configured systems may use only those (and NPI); a system two clinics list is shared', () => {
    expect(refused('clinic-a', A_MRN, NPI)).toEqual([]);
    expect(refused('clinic-b', A_MRN, B_MRN)).toEqual([]);
    expect(refused('clinic-a', B_MRN, 'urn:oid:9.9.9')).toEqual([
      ['patient.identifiers[0].system', FOREIGN_SYSTEM_TEXT],
      ['patient.identifiers[1].system', FOREIGN_SYSTEM_TEXT],
    ]);
  });

  test('a clinic not in the configuration (e.g. from a JWT) gets the default rule; no identifiers → no issue', () => {
    expect(refused('clinic-z', B_MRN, 'urn:oid:9.9.9')).toEqual([['patient.identifiers[0].system', FOREIGN_SYSTEM_TEXT]]);
    expect(identifierSystemIssues(config, 'clinic-a', partial({ id: 'ep-1', patient: { id: 'p' } }))).toEqual([]);
  });

  test('the outcome never carries the system or the value', () => {
    const text = JSON.stringify(identifierSystemIssues(config, 'clinic-c', episode(clinicIdentifierSystem('clinic-a'), B_MRN)));
    expect(text).not.toContain('clinic-a');
    expect(text).not.toContain('v-1');
    expect(text).not.toContain('ehr.clinic-b');
  });
});

describe('configuration', () => {
  test('a clinic cannot be configured with a kap-fhir namespace', () => {
    const r = clinicConfigSchema.safeParse({ id: 'clinic-a', identifierSystems: [clinicIdentifierSystem('clinic-b')] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['identifierSystems', 0]);
  });
});

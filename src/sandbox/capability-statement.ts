/**
 * The sandbox's CapabilityStatement: what `/metadata` answers. Whether `transaction` (and `batch`)
 * are declared is switchable, so the sync engine's fallback to conditional updates can be proven.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

/** Resource types the sandbox lists (any type is accepted; these are the KAP ones). */
const TYPES = [
  'Organization', 'Practitioner', 'Patient', 'CareTeam', 'Condition', 'EpisodeOfCare', 'MedicationRequest',
  'Encounter', 'MedicationAdministration', 'Procedure', 'QuestionnaireResponse', 'Observation', 'AdverseEvent',
  'DetectedIssue', 'Communication', 'Provenance',
];

/**
 * Builds the CapabilityStatement.
 * @param transactions - declare `transaction` and `batch` system interactions
 * @returns the statement
 */
export function sandboxCapabilityStatement(transactions: boolean): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = TYPES.map((type) => ({
    type: type as CapabilityStatementRestResource['type'],
    interaction: ['read', 'vread', 'update', 'create', 'search-type'].map((code) => ({
      code: code as 'read',
    })),
    conditionalCreate: true,
    conditionalUpdate: true,
    searchParam: [{ name: 'identifier', type: 'token' }],
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'kap-fhir sandbox EHR' },
    rest: [
      {
        mode: 'server',
        resource,
        interaction: transactions ? [{ code: 'transaction' }, { code: 'batch' }] : [],
      },
    ],
  };
}

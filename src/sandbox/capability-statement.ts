/**
 * The sandbox's CapabilityStatement: what `/metadata` answers. Whether `transaction` (and `batch`)
 * are declared is switchable, so the sync engine's fallback to conditional updates can be proven.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { SearchParameterRegistry } from './search-parameters.js';

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
    searchParam: [
      { name: 'identifier', type: 'token' },
      { name: '_tag', type: 'token' },
    ],
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

/** Options of {@link strictCapabilityStatement}. */
export interface StrictCapabilityOptions {
  /** The search parameters per type. */
  registry: SearchParameterRegistry;
  /** `updateCreate` of every type (false when ids are server-assigned). */
  updateCreate: boolean;
  /** Declare `transaction` and `batch` system interactions. */
  transactions: boolean;
}

const strictStatements = new Map<string, CapabilityStatement>();

/**
 * The strict sandbox's CapabilityStatement, shaped like the Medplum server's /metadata: every R4
 * resource type with the same interactions and flags, and its search parameters from the definitions.
 * @param o - see {@link StrictCapabilityOptions}
 * @returns the statement (built once per combination; do not modify)
 */
export function strictCapabilityStatement(o: StrictCapabilityOptions): CapabilityStatement {
  const key = `${o.registry.set}|${o.updateCreate}|${o.transactions}`;
  const cached = strictStatements.get(key);
  if (cached) {
    return cached;
  }
  const resource: CapabilityStatementRestResource[] = o.registry.resourceTypes.map((type) => ({
    type: type as CapabilityStatementRestResource['type'],
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    interaction: (['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'] as const).map((code) => ({ code })),
    versioning: 'versioned',
    readHistory: true,
    updateCreate: o.updateCreate,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalRead: 'not-supported',
    conditionalDelete: 'single',
    referencePolicy: ['literal', 'logical', 'local'],
    ...searchParams(o.registry, type),
  }));
  const statement: CapabilityStatement = {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'kap-fhir sandbox EHR (strict)' },
    rest: [
      {
        mode: 'server',
        resource,
        interaction: o.transactions ? [{ code: 'transaction' }, { code: 'batch' }] : [],
      },
    ],
  };
  strictStatements.set(key, statement);
  return statement;
}

function searchParams(registry: SearchParameterRegistry, type: string): Pick<CapabilityStatementRestResource, 'searchParam'> {
  const params = [...(registry.parameters(type)?.values() ?? [])];
  return params.length ? { searchParam: params.map((p) => ({ name: p.code, ...(p.url ? { definition: p.url } : {}), type: p.type })) } : {};
}

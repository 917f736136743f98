/**
 * The server's CapabilityStatement (`GET /fhir/metadata`): FHIR R4 JSON, the KAP profiles per
 * resource type, `$validate`, read/search-by-url of the package's conformance resources and
 * transaction/batch at the system level.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { KAP_CANONICAL } from '../../terminology/systems.js';
import type { ConformanceStore } from '../../validation/conformance-store.js';

const VALIDATE = 'http://hl7.org/fhir/OperationDefinition/Resource-validate';
const CONFORMANCE_TYPES = ['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire'] as const;

/**
 * Builds the CapabilityStatement.
 * @param store - the package's conformance resources
 * @param version - the software version
 * @param date - the publication date (the process start)
 */
export function capabilityStatement(store: ConformanceStore, version: string, date: string): CapabilityStatement {
  const profilesByType = new Map<string, string[]>();
  for (const p of store.profiles()) {
    const type = p.type as string;
    profilesByType.set(type, [...(profilesByType.get(type) ?? []), p.url as string]);
  }
  const resources: CapabilityStatementRestResource[] = [];
  for (const [type, urls] of [...profilesByType.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    resources.push({
      type: type as CapabilityStatementRestResource['type'],
      supportedProfile: urls.sort(),
      operation: [{ name: 'validate', definition: VALIDATE }],
    });
  }
  for (const type of CONFORMANCE_TYPES) {
    const existing = resources.find((r) => r.type === type);
    const entry: CapabilityStatementRestResource = existing ?? { type };
    entry.interaction = [{ code: 'read' }, { code: 'search-type' }];
    entry.searchParam = [
      { name: 'url', type: 'uri', definition: `http://hl7.org/fhir/SearchParameter/${type}-url` },
      { name: 'version', type: 'token', definition: `http://hl7.org/fhir/SearchParameter/${type}-version` },
    ];
    entry.operation = [{ name: 'validate', definition: VALIDATE }];
    if (!existing) {
      resources.push(entry);
    }
  }
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'kap-fhir',
    kind: 'instance',
    software: { name: 'kap-fhir', version },
    implementation: { description: 'kap-fhir: FHIR R4 interoperability for ketamine-assisted psychotherapy clinics' },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    implementationGuide: [`${KAP_CANONICAL}/ImplementationGuide/kap.fhir`],
    rest: [
      {
        mode: 'server',
        documentation:
          'POST a transaction or batch Bundle of KAP resources to the base: it is validated against the KAP profiles ' +
          'and delivered asynchronously (202 + Content-Location of the job). Authentication: Bearer API key or JWT.',
        security: {
          description: 'Authorization: Bearer <clinic API key or JWT carrying the clinic id>',
        },
        resource: resources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        operation: [{ name: 'validate', definition: VALIDATE }],
      },
    ],
  };
}

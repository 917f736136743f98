/**
 * Issue 3's promise, on the real binary: `kap-fhir map examples/<each>.json` prints a transaction Bundle
 * with Patient, MedicationAdministration, Procedure, QuestionnaireResponse and Observation entries; every
 * entry's resource carries our per-clinic business identifier (Provenance, which has none in R4: its
 * meta.tag, docs/mapping.md §2.1) and is a conditional update on it; every resource passes @medplum/core's
 * `validateResource` against base R4 with no error. Spawns bin/kap-fhir.js with this Node
 * (process.execPath); dist/ is built by the global setup (test/global-setup.ts) when older than the sources.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, Identifier, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../../src/fhir/definitions.js';
import { validExamples } from './example-files.js';
import { runCli, type CliRun } from '../helpers/cli.js';

const CLINIC_SYSTEM = 'https://kap-fhir.org/fhir/clinic/';
const REQUIRED_TYPES = ['Patient', 'MedicationAdministration', 'Procedure', 'QuestionnaireResponse', 'Observation'];

/** The error-severity issues of Medplum's base R4 validation of one resource. */
function baseErrors(resource: Resource): OperationOutcomeIssue[] {
  try {
    return validateResource(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return (err.outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
    }
    throw err;
  }
}

const examples = validExamples();
const results = new Map<string, CliRun>();

beforeAll(async () => {
  await Promise.all(examples.map(async ([name, path]) => results.set(name, await runCli(['map', path]))));
  loadBaseDefinitions();
}, 180_000);

describe('kap-fhir map examples/<each>.json', () => {
  test('there are examples to map', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  test.each(examples)('%s: a transaction Bundle of conditional updates on our identifiers, valid against base R4', (name) => {
    const r = results.get(name) as CliRun;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bundle = JSON.parse(r.stdout) as Bundle;
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('transaction');
    const entries = bundle.entry ?? [];
    const types = new Set<string | undefined>(entries.map((e) => e.resource?.resourceType));
    for (const type of REQUIRED_TYPES) {
      expect({ type, present: types.has(type) }).toEqual({ type, present: true });
    }

    for (const [i, entry] of entries.entries()) {
      const resource = entry.resource as Resource;
      const where = `entry[${i}] ${resource.resourceType}`;
      expect({ where, method: entry.request?.method }).toEqual({ where, method: 'PUT' });
      const url = entry.request?.url ?? '';
      if (resource.resourceType === 'Provenance') {
        // Provenance has no identifier in R4: the business key is its meta.tag (docs/mapping.md §2.1)
        const tag = (resource.meta?.tag ?? []).find((t) => t.system?.startsWith(CLINIC_SYSTEM));
        expect({ where, tag: !!tag?.code }).toEqual({ where, tag: true });
        expect({ where, url }).toEqual({ where, url: `Provenance?_tag=${encodeURIComponent(`${tag?.system}|${tag?.code}`)}` });
      } else {
        const raw = (resource as { identifier?: Identifier | Identifier[] }).identifier;
        const ids = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        const ours = ids.find((id) => id.system?.startsWith(CLINIC_SYSTEM) && !!id.value);
        expect({ where, identifier: !!ours }).toEqual({ where, identifier: true });
        expect({ where, url }).toEqual({
          where,
          url: `${resource.resourceType}?identifier=${encodeURIComponent(`${ours?.system}|${ours?.value}`)}`,
        });
      }
      const errors = baseErrors(resource).map((issue) => `${issue.expression?.[0] ?? ''}: ${issue.details?.text ?? ''}`);
      expect({ where, errors }).toEqual({ where, errors: [] });
    }
  });
});

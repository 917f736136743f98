/**
 * What a Medplum server checks once the package is in its project (test/real-ehr/package.real.test.ts does it
 * against a real one): @medplum/core's own `validateResource(resource, { profile })` with the package's
 * StructureDefinition as published, without the snapshot rewrites of src/validation/snapshot-fixes.ts. Every
 * example instance and every resource of every mapped example episode passes; a blood pressure without its
 * systolic component does not (the core `bp` profile's nested component slicing, which Medplum misreads, made
 * every valid blood pressure fail here: kap-blood-pressure states its constraints without it).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Observation, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../../src/fhir/definitions.js';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { kapProfile } from '../../src/terminology/systems.js';
import { packageExamples, packageStructureDefinitions } from './package-files.js';

const profiles = new Map(packageStructureDefinitions().map((sd) => [sd.url as string, sd]));

/** Medplum's errors for a resource against each of its `meta.profile` (unknown profiles skipped, as the server does). */
function serverErrors(resource: Resource): string[] {
  const out: string[] = [];
  for (const url of resource.meta?.profile ?? []) {
    const profile = profiles.get(url) as StructureDefinition | undefined;
    if (!profile) {
      continue;
    }
    try {
      validateResource(resource, { profile });
    } catch (err) {
      if (!(err instanceof OperationOutcomeError)) {
        throw err;
      }
      out.push(...(err.outcome.issue ?? []).filter((i) => i.severity === 'error').map((i) => `${i.expression?.join(',')}: ${i.details?.text}`));
    }
  }
  return out;
}

const examplesDir = resolve(process.cwd(), 'examples');
const mappedResources: [string, Resource][] = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((file) => {
    const parsed = parseEpisode(JSON.parse(readFileSync(join(examplesDir, file), 'utf8')));
    if (!parsed.ok) {
      throw new Error(`${file} does not parse as an episode`);
    }
    return (mapClinicEpisode(parsed.episode, 'example-clinic').bundle.entry ?? []).map((e, i): [string, Resource] => [`${file} entry ${i}`, e.resource as Resource]);
  });

describe('the package as a Medplum server validates it', () => {
  beforeAll(() => {
    loadBaseDefinitions();
  });

  test.each(packageExamples().map((e) => [`${e.resourceType}/${e.id}`, e] as const))('example %s is accepted', (_name, example) => {
    expect(serverErrors(example)).toEqual([]);
  });

  test('every resource of every mapped example episode is accepted', () => {
    expect(mappedResources.filter(([, r]) => r.meta?.profile?.includes(kapProfile('kap-blood-pressure'))).length).toBeGreaterThan(10);
    const refused = mappedResources.map(([name, r]) => [name, r.resourceType, serverErrors(r)] as const).filter(([, , errors]) => errors.length > 0);
    expect(refused).toEqual([]);
  });

  test('a blood pressure without its systolic component is refused', () => {
    const bp = packageExamples().find((e) => e.meta?.profile?.includes(kapProfile('kap-blood-pressure'))) as Observation;
    expect(serverErrors(bp)).toEqual([]);
    expect(serverErrors({ ...bp, component: bp.component?.slice(1) })).toContain(
      "Observation.component: Incorrect number of values provided for slice 'SystolicBP': expected 1..1, but found 0"
    );
  });
});

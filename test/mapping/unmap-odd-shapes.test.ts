/**
 * Property: the elements the issue-13 readers use (dose status and reason, contained Medication, performers,
 * timing and sig, Observation values and components, notes, seriousness and outcome, MedicationStatement) may come
 * from an EHR in any JSON shape: a string, a number, an object where FHIR has an array, nulls. The way back still
 * recovers a valid episode (never throws), and lists each odd element by location and reason, never by value.
 * Any other element of an odd shape at worst makes the way back refuse with an OperationOutcome.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { mapEpisode } from '../../src/fhir/index.js';
import { unmapBundle } from '../../src/fhir/reverse/index.js';
import { parseEpisode } from '../../src/kap/index.js';
import { OperationOutcomeError } from '../../src/outcomes.js';
import { kapEpisodeArbitrary } from './arbitraries.js';

const seed = process.env.KAP_FC_SEED !== undefined ? Number(process.env.KAP_FC_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);

/** Odd values an EHR (or a broken one) may send. */
const ODD = ['x', 7, true, {}, [], null, [null], ['x'], [{}], { reference: 'x' }, { coding: 'x' }, [{ coding: [null] }]];

/** Top-level elements the issue-13 readers read, per resource type. */
const NEW_ELEMENTS: Record<string, string[]> = {
  MedicationAdministration: ['statusReason', 'contained', 'medicationReference', 'performer'],
  MedicationRequest: ['contained', 'medicationReference'],
  MedicationStatement: ['status', 'medicationCodeableConcept', 'context', 'dateAsserted', 'effectiveDateTime'],
  Observation: ['valueBoolean', 'valueInteger', 'valueCodeableConcept', 'dataAbsentReason', 'component', 'note', 'performer'],
  AdverseEvent: ['seriousness', 'outcome'],
};

/** Nested elements the issue-13 readers read. */
const NESTED: Record<string, [string, string][]> = {
  MedicationAdministration: [['contained.0', 'form'], ['contained.0', 'ingredient'], ['contained.0', 'code']],
  MedicationRequest: [['dosageInstruction.0', 'timing'], ['dosageInstruction.0', 'text'], ['contained.0', 'ingredient']],
  Observation: [['component.0', 'valueCodeableConcept'], ['component.0', 'valueQuantity'], ['component.0', 'code']],
};

/** A fresh odd value (never a shared object: the test mutates what it inserts). */
function odd(g: fc.GeneratorValue): unknown {
  return JSON.parse(JSON.stringify(g(fc.constantFrom, ...ODD))) as unknown;
}

/** The object at a dotted path (`contained.0`), if it is one. */
function at(r: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: unknown = r;
  for (const key of path.split('.')) {
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

describe('property: odd shapes of the new elements', () => {
  test('map back to a valid episode with a well-formed ignored list', () => {
    fc.assert(
      fc.property(kapEpisodeArbitrary, fc.gen(), (input, g) => {
        const parsed = parseEpisode(input);
        if (!parsed.ok) {
          throw new Error('generated episode rejected');
        }
        const bundle = JSON.parse(JSON.stringify(mapEpisode(parsed.episode))) as Bundle;
        for (const e of bundle.entry ?? []) {
          const r = e.resource as Resource & Record<string, unknown>;
          for (const key of NEW_ELEMENTS[r.resourceType] ?? []) {
            if (g(fc.integer, { min: 0, max: 5 }) === 0) {
              r[key] = odd(g);
            }
          }
          for (const [parent, key] of NESTED[r.resourceType] ?? []) {
            const node = at(r, parent);
            if (node && g(fc.integer, { min: 0, max: 3 }) === 0) {
              node[key] = odd(g);
            }
          }
        }
        const { episode, ignored } = unmapBundle(bundle);
        expect(parseEpisode(episode).ok).toBe(true);
        for (const i of ignored) {
          expect(Object.keys(i).sort()).toEqual(['location', 'reason', 'resourceType']);
          expect(i.location).toMatch(/^Bundle\.entry\[\d+\]\.resource(\.[A-Za-z]+(\[\d+\])?)*$/);
        }
        expect(JSON.stringify(ignored)).not.toContain('Testperson');
      }),
      { numRuns: 150, seed }
    );
  });

  test('an odd shape anywhere else is at worst refused with an OperationOutcome (no value in it)', () => {
    fc.assert(
      fc.property(kapEpisodeArbitrary, fc.gen(), (input, g) => {
        const parsed = parseEpisode(input);
        if (!parsed.ok) {
          throw new Error('generated episode rejected');
        }
        const bundle = JSON.parse(JSON.stringify(mapEpisode(parsed.episode))) as Bundle;
        for (const e of bundle.entry ?? []) {
          const r = e.resource as Resource & Record<string, unknown>;
          for (const key of Object.keys(r)) {
            if (key !== 'resourceType' && g(fc.integer, { min: 0, max: 20 }) === 0) {
              r[key] = odd(g);
            }
          }
        }
        try {
          expect(parseEpisode(unmapBundle(bundle).episode).ok).toBe(true);
        } catch (err) {
          if (!(err instanceof OperationOutcomeError)) {
            throw err;
          }
          expect(JSON.stringify(err.outcome)).not.toContain('Testperson');
        }
      }),
      { numRuns: 100, seed }
    );
  });
});

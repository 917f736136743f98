/**
 * Property: whatever is cut out of a mapped Bundle (entries, or top-level elements of resources), the way
 * back either recovers a valid episode with a well-formed ignored list, or refuses with an
 * OperationOutcome. It never throws anything else and never reports a value.
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

const REASONS = [
  'unsupported-resource',
  'unsupported-element',
  'unknown-extension',
  'unknown-code',
  'unresolved-reference',
  'missing-element',
  'invalid-value',
  'duplicate',
  'unrelated',
  'defaulted',
];

describe('property: damaged Bundles', () => {
  test('map back to a valid episode or to an OperationOutcome, nothing else', () => {
    fc.assert(
      fc.property(kapEpisodeArbitrary, fc.gen(), (input, g) => {
        const parsed = parseEpisode(input);
        if (!parsed.ok) {
          throw new Error('generated episode rejected');
        }
        const bundle = JSON.parse(JSON.stringify(mapEpisode(parsed.episode))) as Bundle;
        const entries = (bundle.entry ?? []).filter(() => g(fc.integer, { min: 0, max: 9 }) > 0);
        for (const e of entries) {
          const r = e.resource as Resource & Record<string, unknown>;
          for (const key of Object.keys(r)) {
            if (key !== 'resourceType' && g(fc.integer, { min: 0, max: 14 }) === 0) {
              delete r[key];
            }
          }
        }
        bundle.entry = entries;
        try {
          const { episode, ignored } = unmapBundle(bundle);
          expect(parseEpisode(episode).ok).toBe(true);
          for (const i of ignored) {
            expect(Object.keys(i).sort()).toEqual(['location', 'reason', 'resourceType']);
            expect(i.location).toMatch(/^Bundle\.entry\[\d+\]\.resource(\.[A-Za-z]+(\[\d+\])?)*$/);
            expect(REASONS).toContain(i.reason);
          }
        } catch (err) {
          if (!(err instanceof OperationOutcomeError)) {
            throw err;
          }
          expect(err.outcome.issue?.length).toBeGreaterThan(0);
          expect(JSON.stringify(err.outcome)).not.toContain('Testperson');
        }
      }),
      { numRuns: 100, seed }
    );
  });
});

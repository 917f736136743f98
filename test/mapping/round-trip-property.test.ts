import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { mapEpisode } from '../../src/fhir/index.js';
import { unmapBundle } from '../../src/fhir/reverse/index.js';
import { parseEpisode } from '../../src/kap/index.js';
import { kapEpisodeArbitrary } from './arbitraries.js';

/** Seed from KAP_FC_SEED to replay a failure; printed on every failure by fast-check. */
const seed = process.env.KAP_FC_SEED !== undefined ? Number(process.env.KAP_FC_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);

describe('property: generated episodes', () => {
  test('are valid and round-trip exactly through FHIR', () => {
    fc.assert(
      fc.property(kapEpisodeArbitrary, (input) => {
        const parsed = parseEpisode(input);
        if (!parsed.ok) {
          throw new Error(`generated episode rejected: ${JSON.stringify(parsed.outcome.issue)}`);
        }
        const { episode, ignored } = unmapBundle(mapEpisode(parsed.episode));
        expect(ignored).toEqual([]);
        expect(episode).toEqual(parsed.episode);
      }),
      { numRuns: 100, seed }
    );
  });
});

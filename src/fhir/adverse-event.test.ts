/**
 * AdverseEvent seriousness and outcome (docs/design/issue-13-contract.md).
 */
import { describe, expect, test } from '@jest/globals';
import type { SideEffect } from '../kap/side-effect.js';
import { detailedEpisode, dosingInput } from './__test__/detailed-episode.js';
import { find, mapInput } from './__test__/mapped.js';

const SERIOUSNESS = 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness';
const OUTCOME = 'http://terminology.hl7.org/CodeSystem/adverse-event-outcome';

describe('AdverseEvent seriousness and outcome', () => {
  test.each<[boolean | undefined, string | undefined]>([
    [true, 'serious'],
    [false, 'non-serious'],
    [undefined, undefined],
  ])('serious %s → seriousness %s', (serious, code) => {
    const b = mapInput(detailedEpisode(), (ep) => {
      const e = dosingInput(ep, 's-03').sideEffects?.[0];
      if (e) {
        e.serious = serious;
      }
    });
    const ae = find(b, 'AdverseEvent', 'ae-1');
    expect(ae.seriousness?.coding?.map((c) => [c.system, c.code])).toEqual(code === undefined ? undefined : [[SERIOUSNESS, code]]);
  });

  test.each<[NonNullable<SideEffect['outcome']>, string]>([
    ['resolved', 'resolved'],
    ['recovering', 'recovering'],
    ['ongoing', 'ongoing'],
    ['resolved-with-sequelae', 'resolvedWithSequelae'],
    ['fatal', 'fatal'],
    ['unknown', 'unknown'],
  ])('outcome %s → adverse-event-outcome#%s', (outcome, code) => {
    const b = mapInput(detailedEpisode(), (ep) => {
      const e = dosingInput(ep, 's-03').sideEffects?.[0];
      if (e) {
        e.outcome = outcome;
      }
    });
    expect(find(b, 'AdverseEvent', 'ae-1').outcome?.coding?.map((c) => [c.system, c.code])).toEqual([[OUTCOME, code]]);
  });

  test('the detailed fixture: serious, resolved with sequelae; no outcome or seriousness when not recorded', () => {
    const b = mapInput(detailedEpisode());
    const ae = find(b, 'AdverseEvent', 'ae-3');
    expect([ae.seriousness?.coding?.[0].display, ae.outcome?.coding?.[0].display]).toEqual(['Serious', 'Resolved with Sequelae']);
    expect([find(b, 'AdverseEvent', 'ae-2').seriousness, find(b, 'AdverseEvent', 'ae-2').outcome]).toEqual([undefined, undefined]);
  });
});

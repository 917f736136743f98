/**
 * What the EHR receives — session summaries (Composition, PDF DocumentReference) and the Spravato REMS records
 * included — maps back to the same episode, those derived resources skipped without being listed as ignored.
 */
import { describe, expect, test } from '@jest/globals';
import { unmapBundle } from '../../src/fhir/reverse/index.js';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode, mapClinicEpisodeWithSummaries } from '../../src/pipeline/map-clinic-episode.js';
import { readJson, validExamples } from './example-files.js';

describe('unmap: what the EHR receives, summaries and REMS records included', () => {
  test.each(['esketamine-mdd', 'esketamine-self-administered', 'iv-ketamine-trd'])('%s', async (name) => {
    const file = validExamples().find(([n]) => n === `${name}.json`);
    const parsed = parseEpisode(readJson(file?.[1] ?? ''));
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const full = (await mapClinicEpisodeWithSummaries(parsed.episode, 'c1')).bundle;
    const types = (full.entry ?? []).map((e) => e.resource?.resourceType);
    expect(types).toContain('Composition');
    expect(types).toContain('DocumentReference');
    if (name.startsWith('esketamine')) {
      expect(full.entry?.some((e) => e.resource?.meta?.profile?.some((p) => p.endsWith('/kap-rems-monitoring-response')))).toBe(true);
    }
    const plain = unmapBundle(mapClinicEpisode(parsed.episode, 'c1').bundle);
    const back = unmapBundle(full);
    expect(back).toEqual(plain);
  });
});

import { describe, expect, test } from '@jest/globals';
import { mapEpisode } from '../../src/fhir/index.js';
import { unmapBundle } from '../../src/fhir/reverse/index.js';
import { parseEpisode, type KapEpisode } from '../../src/kap/index.js';
import { readJson, validExamples } from './example-files.js';

function parsed(path: string): KapEpisode {
  const result = parseEpisode(readJson(path));
  if (!result.ok) {
    throw new Error(`example does not parse: ${JSON.stringify(result.outcome.issue)}`);
  }
  return result.episode;
}

describe('round trip of every example: unmap(map(x)) deep-equals x', () => {
  test.each(validExamples())('%s', (_name, path) => {
    const episode = parsed(path);
    const bundle = mapEpisode(episode);
    const { episode: back, ignored } = unmapBundle(bundle);
    expect(back).toEqual(episode);
    // a Bundle we made loses nothing: derived resources are skipped, not ignored
    expect(ignored).toEqual([]);
    // and the way back is a fixed point of the forward mapping
    expect(JSON.stringify(mapEpisode(back))).toBe(JSON.stringify(bundle));
  });

  test('the JSON text of the Bundle round-trips too (no reliance on shared objects)', () => {
    const [, path] = validExamples()[0];
    const episode = parsed(path);
    const text = JSON.stringify(mapEpisode(episode));
    expect(unmapBundle(JSON.parse(text)).episode).toEqual(episode);
  });
});

/**
 * Every example episode in examples/*.json, mapped by `mapEpisode` (src/fhir), gives a
 * transaction Bundle that the KAP validator accepts without error.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapEpisode } from '../../src/fhir/index.js';
import { parseEpisode } from '../../src/kap/episode.js';
import { validate } from '../../src/validation/index.js';

const dir = join(process.cwd(), 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('mapped example Bundles', () => {
  test('there are example episodes', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s maps to a Bundle without validation errors', (file) => {
    const parsed = parseEpisode(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.ok) {
      throw new Error(`${file} does not parse as an episode`);
    }
    const bundle = mapEpisode(parsed.episode);
    const errors = (validate(bundle).issue ?? [])
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.code} ${i.expression?.join(',')}: ${i.details?.text}`);
    expect(errors).toEqual([]);
  });
});

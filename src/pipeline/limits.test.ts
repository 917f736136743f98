import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapClinicEpisodeWithSummaries } from './map-clinic-episode.js';
import { parseEpisode, type KapEpisode } from '../kap/index.js';
import { limitsSchema, loadConfig } from '../config/service-config.js';
import { episodeLimitIssues, fhirResourceCount, mappedResourceCounts } from './limits.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

/** Only the collections the limits count (the rest of an episode plays no part). */
const partial = (episode: object): KapEpisode => episode as KapEpisode;
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as unknown] as const);

const DEFAULTS = limitsSchema.parse({});

describe('mappedResourceCounts', () => {
  test.each(examples)('%s: an upper bound of what the mapping makes (summaries included), and a close one', async (_name, json) => {
    const parsed = parseEpisode(json);
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const counted = Object.values(mappedResourceCounts(parsed.episode)).reduce((a, b) => a + b, 5);
    // what the EHR receives, without the safety signals (they come on top) and the Provenance (counted in the 5)
    const mapped = ((await mapClinicEpisodeWithSummaries(parsed.episode, 'c1')).bundle.entry ?? []).filter(
      (e) => e.resource?.resourceType !== 'DetectedIssue' && e.resource?.resourceType !== 'Communication'
    ).length;
    expect(counted).toBeGreaterThanOrEqual(mapped);
    expect(counted).toBeLessThanOrEqual(mapped * 1.5);
  });
});

describe('episodeLimitIssues', () => {
  test.each(examples)('%s is well within the default limits', (_name, json) => {
    expect(episodeLimitIssues(DEFAULTS, partial(json as object))).toEqual([]);
  });

  test('every collection over its limit is named; the total is checked once the collections pass', () => {
    const session = (i: number, vitals: number, sideEffects: number) => ({
      id: `s-${i}`,
      kind: 'dosing',
      vitals: new Array(vitals).fill({}),
      sideEffects: new Array(sideEffects).fill({}),
    });
    const small = { ...DEFAULTS, sessionsPerEpisode: 2, vitalsPerSession: 3, sideEffectsPerSession: 1, questionnairesPerEpisode: 1 };
    const episode = { id: 'e', sessions: [session(0, 1, 0), session(1, 4, 2), session(2, 0, 0)], questionnaires: [{}, {}] };
    expect(episodeLimitIssues(small, partial(episode)).map((i) => i.expression?.[0])).toEqual([
      'sessions',
      'sessions[1].vitals',
      'sessions[1].sideEffects',
      'questionnaires',
    ]);
    const total = { ...DEFAULTS, resourcesPerRequest: 20 };
    const issues = episodeLimitIssues(total, partial({ id: 'e', careTeam: new Array(3).fill({}), sessions: [session(0, 14, 0)] }));
    expect(issues).toMatchObject([{ code: 'too-costly', expression: ['sessions'] }]);
    expect(JSON.stringify(issues)).not.toContain('s-0');
  });

  test('input that is not the expected shape counts as empty (the schema has refused it already)', () => {
    expect(episodeLimitIssues(DEFAULTS, partial({ id: 'e', sessions: 'x', questionnaires: null }))).toEqual([]);
  });
});

describe('fhirResourceCount', () => {
  test('counts every resource: the body, entries, contained and nested ones; stops past the maximum', () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Patient', contained: [{ resourceType: 'Organization' }] } },
        { resource: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Basic' } }] } },
      ],
    };
    expect(fhirResourceCount(bundle, 100)).toBe(5);
    expect(fhirResourceCount(bundle, 2)).toBe(3);
    expect(fhirResourceCount({ resourceType: 'Patient' }, 1)).toBe(1);
  });
});

describe('configuration', () => {
  test('defaults, the file and the LIMIT_* environment variables', () => {
    expect(loadConfig({}).limits).toEqual({
      sessionsPerEpisode: 250,
      vitalsPerSession: 500,
      sideEffectsPerSession: 50,
      questionnairesPerEpisode: 500,
      resourcesPerRequest: 3000,
      summariesPerVersion: 12,
    });
    const env = { LIMIT_VITALS_PER_SESSION: '20', LIMIT_RESOURCES_PER_REQUEST: '100', LIMIT_SUMMARIES_PER_VERSION: '40' };
    expect(loadConfig(env).limits).toMatchObject({ vitalsPerSession: 20, resourcesPerRequest: 100, sessionsPerEpisode: 250, summariesPerVersion: 40 });
  });

  test('a bad limit names the setting and its variable, never the value', () => {
    expect(() => loadConfig({ LIMIT_SESSIONS_PER_EPISODE: '0' })).toThrow(/limits\.sessionsPerEpisode \(env LIMIT_SESSIONS_PER_EPISODE\)/);
  });
});

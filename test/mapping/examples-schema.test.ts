import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseEpisode } from '../../src/kap/index.js';
import { EXAMPLES_DIR, invalidExamples, readJson, validExamples } from './example-files.js';

describe('examples/*.json', () => {
  test('the four required stories are there', () => {
    for (const f of ['iv-ketamine-trd.json', 'sublingual-lozenge-ptsd.json', 'esketamine-mdd.json', 'urgent-signals.json']) {
      expect(existsSync(join(EXAMPLES_DIR, f))).toBe(true);
    }
  });

  test.each(validExamples())('%s is accepted by the schema', (_name, path) => {
    const result = parseEpisode(readJson(path));
    if (!result.ok) {
      throw new Error(JSON.stringify(result.outcome.issue));
    }
    expect(result.episode.sessions.length).toBeGreaterThan(0);
  });
});

describe('examples/invalid/*.json are rejected by the schema', () => {
  test('there is one invalid example per rule', () => {
    expect(invalidExamples().length).toBeGreaterThanOrEqual(20);
  });

  test.each(invalidExamples())('%s', (_name, path, expected) => {
    const result = parseEpisode(readJson(path));
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    const errors = (result.outcome.issue ?? []).filter((i) => i.severity === 'error');
    // exactly one defect per file: every error names the expected field
    expect(errors.map((i) => ({ expression: i.expression?.[0], code: i.code }))).toEqual([expected]);
  });
});

/**
 * Issue 13: "each rule: a firing test and a near miss". Reads the text of the safety rules' tests (src/safety and
 * src/rems) and checks that every code of SAFETY_RULES is named in the title of at least one firing test and of at
 * least one near-miss test. Convention (docs/safety.md "Tests"): a test title — a `test('…')` title or the first
 * string of a `test.each` case tuple — names the rule code it is about; a near miss's title starts with or contains
 * "near miss" and names the rule it stays clear of.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { SAFETY_RULES, type SafetyRule } from './types.js';

const DIRS = ['../safety/', '../rems/'].map((d) => new URL(d, import.meta.url));

/** Every test title of a test file: `test('…'` / `test.each(…)('…'` titles and the first string of a case tuple. */
export function testTitles(source: string): string[] {
  const titles: string[] = [];
  const patterns = [
    /\btest\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g, // test('title', …)
    /^\s*\[\s*(['"`])((?:\\.|(?!\1).)*)\1\s*,/gm, // ['title', make, expected] (a test.each case)
  ];
  for (const re of patterns) {
    for (const m of source.matchAll(re)) {
      // an expected-signals array (`['cssrs-high urgent QuestionnaireResponse/…', …]`) is no title
      if (!/^[a-z0-9-]+ (urgent|attention|information)\b/.test(m[2])) {
        titles.push(m[2]);
      }
    }
  }
  return titles;
}

/** Whether a title names the rule (as a whole code: `cssrs-high`, not inside `cssrs-high-x`). */
function names(title: string, rule: SafetyRule): boolean {
  return new RegExp(`(^|[^a-z0-9-])${rule}($|[^a-z0-9-])`).test(title);
}

const isNearMiss = (title: string): boolean => /near miss/i.test(title);

const titles = DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && f !== 'rule-coverage.test.ts')
    .flatMap((f) => testTitles(readFileSync(new URL(f, dir), 'utf8')))
);

describe('every safety rule has a firing test and a near miss (issue 13)', () => {
  test('the scanner reads test titles and case tuples', () => {
    const source = "test('a → x-y', () => {});\n  ['near miss: x-y', () => 1, []],\n  [\n    'b → x-y',\n    ['x-y urgent Observation/o-1'],\n  ],\n";
    expect(testTitles(source)).toEqual(['a → x-y', 'near miss: x-y', 'b → x-y']);
  });

  test.each(SAFETY_RULES.map((r) => [r]))('%s: a firing test', (rule) => {
    expect(titles.filter((t) => names(t, rule) && !isNearMiss(t))).not.toEqual([]);
  });

  test.each(SAFETY_RULES.map((r) => [r]))('%s: a near-miss test', (rule) => {
    expect(titles.filter((t) => names(t, rule) && isNearMiss(t))).not.toEqual([]);
  });
});

describe('every safety rule is documented (docs/safety.md, and docs/profiles.md\'s list of kap-safety-signal codes)', () => {
  const docs = new URL('../../docs/', import.meta.url);
  const safety = readFileSync(new URL('safety.md', docs), 'utf8');
  const profiles = readFileSync(new URL('profiles.md', docs), 'utf8');
  const codeList = profiles.slice(profiles.indexOf('### Safety-signal codes'), profiles.indexOf('## Questionnaires'));

  test.each(SAFETY_RULES.map((r) => [r]))('%s', (rule) => {
    expect({ rule, safety: safety.includes(`\`${rule}\``), profiles: codeList.includes(`\`${rule}\``) }).toEqual({ rule, safety: true, profiles: true });
  });
});

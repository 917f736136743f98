/**
 * The validation corpus (test/validation/corpus/<group>/*.json): each case is its own test; the
 * validator's verdict must match the case's `expect.valid`, and every expected error and warning must
 * appear at its FHIRPath expression. `CORPUS_GROUP=<group>` runs one folder only.
 * Runner and case format: corpus-runner.ts and docs/design/issue-15-contract.md.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusGroups, formatResult, listCorpus, runCase, ValidatorCache } from './corpus-runner.js';

const group = process.env.CORPUS_GROUP?.trim() || undefined;
const cases = listCorpus(undefined, group);
const validators = new ValidatorCache();

describe(`validation corpus${group ? ` (group ${group})` : ''}`, () => {
  test('has cases', () => {
    if (group && !corpusGroups().includes(group)) {
      throw new Error(`CORPUS_GROUP=${group}: no such folder; groups are ${corpusGroups().join(', ')}`);
    }
    expect(cases.length).toBeGreaterThan(0);
  });

  // jest refuses `test.each` over an empty table: then the 'has cases' test alone reports it
  if (cases.length > 0) {
    test.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const result = await runCase(c, validators);
      if (!result.agree) {
        throw new Error(`${formatResult(result)}\nrule: ${c.content?.rule ?? '?'}\nsource: ${c.content?.source ?? '?'}`);
      }
      expect(result.agree).toBe(true);
    });
  }
});

describe('corpus runner', () => {
  const patient = { resourceType: 'Patient', gender: 'x' };
  const write = (dir: string, name: string, value: unknown): void => writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));

  test('a missing supporting file, a broken case file and a wrong expectation each fail their own case with the reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kap-corpus-'));
    try {
      mkdirSync(join(root, 'g', 'supporting'), { recursive: true });
      mkdirSync(join(root, 'supporting'));
      write(join(root, 'g', 'supporting'), 'not-a-case.json', { resourceType: 'ValueSet' });
      write(join(root, 'g'), 'a-missing-supporting.json', { rule: 'r', source: 's', supporting: ['supporting/nope.json'], resource: patient, expect: { valid: false } });
      write(join(root, 'g'), 'b-broken.json', '{ not json');
      write(join(root, 'g'), 'c-wrong-expect.json', { rule: 'r', source: 's', resource: patient, expect: { valid: true, errors: [] } });
      write(join(root, 'g'), 'd-missing-expression.json', { rule: 'r', source: 's', resource: patient, expect: { valid: false, errors: [{ expression: 'Patient.name' }] } });
      write(join(root, 'g'), 'e-right.json', { rule: 'r', source: 's', resource: patient, expect: { valid: false, errors: [{ expression: 'Patient.gender', code: 'code-invalid' }] } });
      const cases = listCorpus(root);
      expect(cases.map((c) => c.id)).toEqual(['g/a-missing-supporting', 'g/b-broken', 'g/c-wrong-expect', 'g/d-missing-expression', 'g/e-right']);
      const cache = new ValidatorCache();
      const [missing, broken, wrong, noExpr, right] = await Promise.all(cases.map((c) => runCase(c, cache, root)));
      expect(missing.agree).toBe(false);
      expect(missing.error).toMatch(/supporting.*nope\.json/s);
      expect(broken.agree).toBe(false);
      expect(broken.error).toMatch(/not readable JSON/);
      expect(wrong.agree).toBe(false);
      expect(wrong.verdictAgrees).toBe(false);
      expect(formatResult(wrong)).toMatch(/expected valid, got invalid[\s\S]*error code-invalid Patient\.gender/);
      expect(noExpr.verdictAgrees).toBe(true);
      expect(noExpr.agree).toBe(false);
      expect(formatResult(noExpr)).toMatch(/expected errors not reported:\n {2}Patient\.name/);
      expect(right.agree).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { getStatus, hasErrors, invalidSubmission, outcome, zodPathToExpression } from './outcomes.js';

describe('outcomes', () => {
  test('zod paths become FHIRPath-like expressions', () => {
    expect(zodPathToExpression(['sessions', 2, 'vitals', 0, 'systolic'])).toBe('sessions[2].vitals[0].systolic');
    expect(zodPathToExpression([], 'Episode')).toBe('Episode');
  });

  test('invalidSubmission names the field and never echoes the value', () => {
    const schema = z.object({ patient: z.object({ birthDate: z.iso.date(), name: z.string() }) });
    const r = schema.safeParse({ patient: { birthDate: 'Jane Doe 1970' } });
    expect(r.success).toBe(false);
    const oo = invalidSubmission(r.error!);
    expect(hasErrors(oo)).toBe(true);
    expect(getStatus(oo)).toBe(400);
    const expressions = oo.issue.flatMap((i) => i.expression ?? []);
    expect(expressions).toEqual(expect.arrayContaining(['patient.birthDate', 'patient.name']));
    expect(oo.issue.find((i) => i.expression?.[0] === 'patient.name')?.code).toBe('required');
    expect(JSON.stringify(oo)).not.toContain('Jane');
  });

  test('a value of the wrong type is invalid, not missing', () => {
    const schema = z.object({ version: z.number(), start: z.string() });
    const oo = invalidSubmission(schema.safeParse({ version: '9' }).error!);
    const byField = Object.fromEntries(oo.issue.map((i) => [i.expression?.[0], i]));
    expect(byField.version.code).toBe('invalid');
    expect(byField.version.details?.text).toBe('Expected number');
    expect(byField.start.code).toBe('required');
    expect(byField.start.details?.text).toBe('Missing required field');
  });

  test('an empty issue list is an informational all-OK outcome', () => {
    const oo = outcome([]);
    expect(hasErrors(oo)).toBe(false);
    expect(oo.issue[0].severity).toBe('information');
  });
});

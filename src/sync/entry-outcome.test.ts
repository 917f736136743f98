import { describe, expect, test } from '@jest/globals';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { entryState, isKeyRace } from './entry-outcome.js';

/** What Medplum answers when a conditional update's key was written by another request meanwhile. */
const raced = (resourceType: string, text: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', details: { text }, expression: [`${resourceType}.id`] }],
});

describe('isKeyRace', () => {
  const sent: Resource = { resourceType: 'AdverseEvent', actuality: 'actual', subject: { reference: 'Patient/1' } };

  test("Medplum's 400s naming <Type>.id on a body without id are a race at the server's key, retried as a conflict", () => {
    expect(isKeyRace(400, raced('AdverseEvent', 'Resource ID did not match resolved ID'), sent)).toBe(true);
    expect(isKeyRace(400, raced('AdverseEvent', 'Cannot perform create as update with client-assigned ID'), sent)).toBe(true);
    expect(entryState(409)).toBe('retry');
  });

  test('a body that carried an id: the refusal is about what was sent (refused, dead letter)', () => {
    expect(isKeyRace(400, raced('AdverseEvent', 'Resource ID did not match resolved ID'), { ...sent, id: 'x' })).toBe(false);
  });

  test('other 400s, other paths, other statuses are not', () => {
    const other: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', expression: ['AdverseEvent.event'] }] };
    expect(isKeyRace(400, other, sent)).toBe(false);
    expect(isKeyRace(400, raced('Observation', 'Resource ID did not match resolved ID'), sent)).toBe(false);
    expect(isKeyRace(412, raced('AdverseEvent', 'x'), sent)).toBe(false);
    expect(isKeyRace(400, undefined, sent)).toBe(false);
  });
});

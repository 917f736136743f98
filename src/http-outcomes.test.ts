import { describe, expect, test } from '@jest/globals';
import { getStatus, issue, outcome } from './outcomes.js';
import { httpError, httpOutcome, withStatus, type OutcomeStatus } from './http-outcomes.js';

const STATUSES: OutcomeStatus[] = [400, 401, 403, 404, 409, 412, 413, 415, 422, 429];

describe('http-outcomes', () => {
  test.each(STATUSES)('an outcome labelled %i is answered with that status by getStatus()', (status) => {
    expect(getStatus(httpError(status, 'invalid', 'Fixed text', 'field').outcome)).toBe(status);
    expect(getStatus(httpOutcome(status, [issue('error', 'too-costly', 'Fixed text')]))).toBe(status);
    expect(getStatus(withStatus(status, outcome([issue('error', 'invalid', 'Fixed text')])))).toBe(status);
  });

  test('the bytes of an answer: issues first, then the id the status needs (none for 400)', () => {
    expect(JSON.stringify(httpError(409, 'conflict', 'A newer version was accepted', 'version').outcome)).toBe(
      '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"conflict","details":{"text":"A newer version was accepted"},"expression":["version"]}],"id":"conflict"}'
    );
    expect(JSON.stringify(httpError(400, 'required', 'Name the target', 'target').outcome)).toBe(
      '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"required","details":{"text":"Name the target"},"expression":["target"]}]}'
    );
    expect(JSON.stringify(httpError(400, 'structure', 'Request body must be a JSON object').outcome)).toBe(
      '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"structure","details":{"text":"Request body must be a JSON object"}}]}'
    );
    expect(JSON.stringify(httpOutcome(413, [issue('error', 'too-costly', 'Too large')]))).toBe(
      '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"too-costly","details":{"text":"Too large"}}],"id":"content-too-large"}'
    );
  });
});

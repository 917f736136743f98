import { describe, expect, test } from '@jest/globals';
import { isWellFormedText } from './unicode.js';

describe('isWellFormedText', () => {
  test.each([
    ['', true],
    ['plain', true],
    ['\u{1F600}', true],
    ['\ud83d', false],
    ['\ude00', false],
    ['\ude00\ud83d', false],
    ['a\ud83d\ude00b', true],
  ])('%j → %s', (text, expected) => {
    expect(isWellFormedText(text)).toBe(expected);
  });
});

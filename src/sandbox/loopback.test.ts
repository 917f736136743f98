import { describe, expect, test } from '@jest/globals';
import { isLoopbackAddress, isLoopbackHost } from './loopback.js';

describe('isLoopbackAddress', () => {
  test.each(['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3'])('%s is loopback', (a) => {
    expect(isLoopbackAddress(a)).toBe(true);
  });
  test.each([undefined, '', '0.0.0.0', '::', '192.0.2.2', '10.0.0.127', '::ffff:192.0.2.2', 'fe80::1', 'fd00::2', '::11', '1::1', '128.0.0.1', 'localhost'])(
    '%s is not',
    (a) => {
      expect(isLoopbackAddress(a)).toBe(false);
    }
  );
});

describe('isLoopbackHost', () => {
  test('localhost and loopback IPs keep a server on loopback; others do not', () => {
    expect(['localhost', '127.0.0.1', '::1', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '192.0.2.2', 'example.org'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});

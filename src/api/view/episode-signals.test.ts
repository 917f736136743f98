/**
 * The episode's signals read from the mapped Bundle: each DetectedIssue with its severity, its state and the dosing
 * session it is about (examples/urgent-signals.json: three signals, two about the dose, one about a PHQ-9 answer).
 */
import { describe, expect, test } from '@jest/globals';
import { exampleBundle } from '../../summary/__test__/session-view-fixture.js';
import { episodeSignals } from './episode-signals.js';

describe('episodeSignals', () => {
  test('urgent-signals: three urgent signals, raised and sent to the prescriber; the dose ones name session u-02', () => {
    const signals = episodeSignals(exampleBundle('urgent-signals'), 'c1');
    expect(signals.map((s) => [s.rule, s.severity, s.status, s.notified, s.sessionId ?? null])).toEqual([
      ['phq9-item9-positive', 'urgent', 'final', true, null],
      ['bp-predose-high', 'urgent', 'final', true, 'u-02'],
      ['dose-above-prescription', 'urgent', 'final', true, 'u-02'],
    ]);
    expect(signals[1]?.display).toBe('Pre-dose blood pressure high');
    expect(signals[1]?.detail.length).toBeGreaterThan(10);
    expect(signals[1]?.identified).toMatch(/^2026-09-14T/);
  });

  test('an episode without signals, or read for another clinic (no session ids), stays consistent', () => {
    expect(episodeSignals(exampleBundle('esketamine-self-administered'), 'c1')).toEqual([]);
    const other = episodeSignals(exampleBundle('urgent-signals'), 'c2');
    expect(other).toHaveLength(3);
    expect(other.every((s) => s.sessionId === undefined)).toBe(true);
  });
});

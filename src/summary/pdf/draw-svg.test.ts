import { describe, expect, test } from '@jest/globals';
import { fixtureSessionView } from '../__test__/session-view-fixture.js';
import { vitalsChart } from '../charts/vitals-chart.js';
import { rectClipsAsViewports } from './draw-svg.js';

describe('rectClipsAsViewports', () => {
  test("echarts' rectangular series clips become viewports of the same rectangle; the rest is unchanged", () => {
    const { svg } = vitalsChart(fixtureSessionView());
    expect(svg).toContain('clip-path="url(#');
    const out = rectClipsAsViewports(svg);
    expect(out).not.toContain('clip-path="url(#');
    expect(out).toMatch(/<svg x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" viewBox="\1 \2 \3 \4" overflow="hidden"><g>/);
    const clips = svg.match(/<g clip-path="url\(#/g)?.length;
    expect(out.match(/overflow="hidden"><g>/g)?.length).toBe(clips);
    expect(out.match(/<\/g><\/svg>/g)?.length).toBe(clips);
    // every element drawn, in the same order
    const drawn = (s: string): string[] => s.match(/<(path|text|polygon|rect)\b[^>]*>/g) ?? [];
    expect(drawn(out)).toEqual(drawn(svg));
  });

  test('a clip that is not a rectangle is left as it is', () => {
    const svg = '<svg><g clip-path="url(#c)"><path d="M0 0L1 1"></path></g><defs><clipPath id="c"><circle r="3"></circle></clipPath></defs></svg>';
    expect(rectClipsAsViewports(svg)).toBe(svg);
  });
});

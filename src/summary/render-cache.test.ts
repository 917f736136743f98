import { describe, expect, test } from '@jest/globals';
import { fixtureSessionView } from './__test__/session-view-fixture.js';
import { vitalsChart } from './charts/vitals-chart.js';
import { sessionSummaryPdf } from './pdf/session-summary-pdf.js';
import { clearRenderCaches, RenderCache } from './render-cache.js';

describe('RenderCache', () => {
  test('bytes: renders once per input, and every caller gets its own copy', async () => {
    const cache = new RenderCache<Buffer>(4);
    let calls = 0;
    const render = async (i: { a: number }): Promise<Buffer> => Buffer.from(`r${++calls}:${i.a}`);
    const first = await cache.bytes({ a: 1 }, render);
    first.fill(0); // the caller spoils its copy
    const second = await cache.bytes({ a: 1 }, render);
    expect(second.toString()).toBe('r1:1');
    second.fill(0);
    expect((await cache.bytes({ a: 1 }, render)).toString()).toBe('r1:1');
    expect(calls).toBe(1);
  });

  test('renders once per input (keys in any order), evicts the least recently used', () => {
    const cache = new RenderCache<string>(2);
    let calls = 0;
    const render = (i: { a: number; b?: number }): string => `r${++calls}:${i.a}`;
    expect(cache.get({ a: 1, b: 2 }, render)).toBe('r1:1');
    expect(cache.get({ b: 2, a: 1 }, render)).toBe('r1:1');
    cache.get({ a: 2 }, render);
    cache.get({ a: 1, b: 2 }, render); // used: {a: 2} is now the oldest
    cache.get({ a: 3 }, render);
    expect(cache.size).toBe(2);
    expect(cache.get({ a: 1, b: 2 }, render)).toBe('r1:1');
    expect(cache.get({ a: 2 }, render)).toBe('r4:2');
  });

  test('a cached PDF and chart equal fresh renderings', async () => {
    const view = fixtureSessionView();
    clearRenderCaches();
    const fresh = await sessionSummaryPdf(view);
    const chart = vitalsChart(view).svg;
    const cached = await sessionSummaryPdf(view);
    expect(cached.equals(fresh)).toBe(true);
    cached[0] = 0; // the caller's own copy
    expect((await sessionSummaryPdf(view)).equals(fresh)).toBe(true);
    clearRenderCaches();
    expect(vitalsChart(view).svg).toBe(chart);
    // another episode id: another PDF (the footer), the same chart
    const other = await sessionSummaryPdf({ ...view, episodeId: `${view.episodeId}-b` });
    expect(other.equals(fresh)).toBe(false);
  });
});

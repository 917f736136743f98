/**
 * The episodes the ingest benchmarks send: copies of one example, each with its own id and its own vital
 * signs (heart rate + n mod 19, systolic + ⌊n/19⌋ mod 13: 247 distinct copies, below every safety threshold of the
 * example), as a clinic's episodes differ.
 * Identical copies would let the summaries' render caches (src/summary/render-cache.ts) serve every chart
 * after the first and flatter the figures.
 */

/** A vital sign as the example files write it. */
interface Vital {
  kind: string;
  value?: number;
  systolic?: number;
}

/**
 * The n-th copy of an episode.
 * @param template - the example episode (parsed JSON)
 * @param n - the copy's number (≥ 1): its id is `ep-bench-<n>`
 */
export function benchEpisode(template: Record<string, unknown>, n: number): Record<string, unknown> {
  const sessions = (template.sessions as { vitals?: Vital[] }[] | undefined)?.map((s) => ({
    ...s,
    ...(s.vitals
      ? {
          vitals: s.vitals.map((v) => {
            if (v.kind === 'heart-rate' && v.value !== undefined) {
              return { ...v, value: v.value + (n % 19) };
            }
            return v.kind === 'blood-pressure' && v.systolic !== undefined ? { ...v, systolic: v.systolic + (Math.floor(n / 19) % 13) } : v;
          }),
        }
      : {}),
  }));
  return { ...template, id: `ep-bench-${n}`, version: 1, ...(sessions ? { sessions } : {}) };
}

/**
 * Runs a function over items with at most `n` in flight (the benchmarks' request loops).
 * @param items - the items
 * @param n - how many at once
 * @param fn - the work per item
 */
export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        await fn(items[next++]);
      }
    })
  );
}

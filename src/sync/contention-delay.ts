/**
 * How long a job waits before it tries again after contention (a record or resource another write holds,
 * a 409 serialization conflict at the server): exponential with full jitter, capped. Many jobs that met
 * the same contention spread out instead of coming back together (which is what made them collide).
 * @param waits - the waits so far for this kind of contention, this one included (1, 2, …)
 * @param baseMs - the first wait's upper bound
 * @param capMs - the longest wait
 * @param random - a number in [0, 1) (Math.random by default)
 * @returns the wait in ms, between baseMs / 2 and the bound
 */
export function contentionDelayMs(waits: number, baseMs: number, capMs: number, random: number = Math.random()): number {
  const bound = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(waits - 1, 0), 20));
  return Math.round(Math.min(bound, baseMs / 2 + random * (bound - baseMs / 2)));
}

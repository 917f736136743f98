/**
 * What the CPU-bound benches share: a rate measured over CPU time (and wall time, for the record), the process's
 * CPU time, and the median of the rounds (noisy machines: ratios come from medians of interleaved rounds).
 */

/** Runs per second, over CPU time and over wall time. */
export interface Rate {
  cpu: number;
  wall: number;
}

/** This process's CPU time (user + system), ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The median of some values. */
export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

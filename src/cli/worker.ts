/**
 * `kap-fhir worker [--config FILE]`: the queue workers alone (scale out by running more).
 */
import { runService } from '../server/run.js';

/** Runs the workers until SIGTERM. */
export async function workerCommand(args: string[]): Promise<number> {
  return runService({ api: false, workers: true }, args);
}

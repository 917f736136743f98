/**
 * `kap-fhir start [--config FILE]`: the API and the queue workers in one process (`npm start`).
 */
import { runService } from '../server/run.js';

/** Runs API + workers until SIGTERM. */
export async function startCommand(args: string[]): Promise<number> {
  return runService({ api: true, workers: true }, args);
}

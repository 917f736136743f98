/**
 * `kap-fhir serve [--config FILE]`: the API alone (workers run apart with `kap-fhir worker`).
 */
import { runService } from '../server/run.js';

/** Runs the API until SIGTERM. */
export async function serveCommand(args: string[]): Promise<number> {
  return runService({ api: true, workers: false }, args);
}

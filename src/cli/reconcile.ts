/**
 * `kap-fhir reconcile --target ID [--clinic ID] [--episode ID] [--config FILE]`: reads back at a FHIR
 * target every resource of the last delivered version of its records (src/sync/reconcile.ts) and prints
 * the report as JSON: missing, duplicated and different resources (types, server ids, record ids, field
 * paths; never identifier values). Same configuration as the service (file + environment; the targets of
 * its clinics). Exit: 0 all there, 1 something missing (or duplicated, or different), 2 bad usage,
 * configuration or target.
 */
import { OperationOutcomeError } from '../outcomes.js';
import { createSyncEngine } from '../../queues/sync-engine.js';
import type { TargetInput } from '../sync/index.js';
import { withServiceContext } from './service-context.js';

const USAGE = 'usage: kap-fhir reconcile --target ID [--clinic ID] [--episode ID] [--config FILE]\n';

interface Args {
  target?: string;
  clinic?: string;
  episode?: string;
  config?: string;
}

function parseArgs(args: string[]): Args | undefined {
  const out: Args = {};
  const names: Record<string, keyof Args> = { '--target': 'target', '--clinic': 'clinic', '--episode': 'episode', '--config': 'config' };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = (args[i] as string).split(/=(.*)/s, 2);
    const name = names[flag as string];
    const value = inline ?? args[++i];
    if (!name || !value) {
      return undefined;
    }
    out[name] = value;
  }
  return out.target ? out : undefined;
}

/**
 * Runs `kap-fhir reconcile`.
 * @param args - arguments after `reconcile`
 * @returns the exit code
 */
export async function reconcileCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withServiceContext(parsed.config, 2, async ({ config, codec, redis: handle }) => {
  const targets = config.clinics.flatMap((c) => c.targets.map((t) => ({ ...t, clinicId: c.id }))) as TargetInput[];
  const engine = createSyncEngine({ redis: handle.endpoint, prefix: config.redisPrefix, targets, codec });
  try {
    const report = await engine.reconcile(parsed.target as string, { clinicId: parsed.clinic, episodeId: parsed.episode });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.missing.length + report.duplicated.length + report.different.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      const text = err.outcome.issue?.[0]?.details?.text ?? err.outcome.issue?.[0]?.code ?? 'refused';
      process.stderr.write(`kap-fhir: reconcile: ${text}\n`);
      return 2;
    }
    throw err;
  } finally {
    await engine.close();
  }
  });
}

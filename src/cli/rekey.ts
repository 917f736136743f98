/**
 * `kap-fhir rekey [--config FILE] [--dry-run | --check]`: re-seals with the current key
 * (`KAP_ENCRYPTION_KEY`) every record kept at rest that is sealed with a previous key
 * (`KAP_ENCRYPTION_KEYS_PREVIOUS`), in the legacy v1 format, or in clear (written before encryption
 * at rest), under the service's prefix (SCAN). Same configuration as the service (file + environment).
 * `--dry-run` counts without writing; `--check` too, and exits 1 while anything is left to rekey —
 * run it before dropping a previous key. Prints one line per family (counts and key ids, never a value).
 * Exit: 0 done, 1 values no key of the ring opens (or `--check` found work), 2 bad usage or configuration.
 */
import { createRedisClient } from '../redis-client.js';
import { rekey, type RekeyReport } from '../crypto/rekey.js';
import { SEALED_RECORDS } from '../server/sealed-records.js';
import { withServiceContext } from './service-context.js';

const USAGE = 'usage: kap-fhir rekey [--config FILE] [--dry-run | --check]\n';

interface Args {
  config?: string;
  dryRun: boolean;
  check: boolean;
}

function parseArgs(args: string[]): Args | undefined {
  const out: Args = { dryRun: false, check: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--config') {
      out.config = args[++i];
      if (!out.config) return undefined;
    } else if (a.startsWith('--config=')) {
      out.config = a.slice('--config='.length);
    } else if (a === '--dry-run') {
      out.dryRun = true;
    } else if (a === '--check') {
      out.check = true;
    } else {
      return undefined;
    }
  }
  return out.dryRun && out.check ? undefined : out;
}

/**
 * One report as a line.
 * @param r - the report
 * @param counting - a dry run (nothing written)
 */
export function reportLine(r: RekeyReport, counting: boolean): string {
  return `${r.family}: ${r.scanned} scanned, ${r.current} current, ${r.rekeyed} ${counting ? 'to rekey' : 'rekeyed'}, ${r.changed} changed meanwhile, ${r.unreadable.length} unreadable`;
}

/**
 * Runs `kap-fhir rekey`.
 * @param args - arguments after `rekey`
 * @returns the exit code
 */
export async function rekeyCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withServiceContext(parsed.config, 1, async ({ config, codec, redis: handle }) => {
  const redis = createRedisClient(handle.endpoint, { maxRetriesPerRequest: 2 });
  try {
    const counting = parsed.dryRun || parsed.check;
    process.stdout.write(
      `rekey under ${config.redisPrefix}: current key ${codec.currentKeyId}` +
        `${codec.keyIds.length > 1 ? `, previous ${codec.keyIds.slice(1).join(', ')}` : ''}${counting ? ' (counting only)' : ''}\n`
    );
    const reports = await rekey(redis, config.redisPrefix, codec, SEALED_RECORDS, { dryRun: counting });
    for (const r of reports) {
      process.stdout.write(`  ${reportLine(r, counting)}\n`);
      for (const key of r.unreadable) {
        process.stderr.write(`kap-fhir: ${key}: opens with no key of the keyring\n`);
      }
    }
    const unreadable = reports.some((r) => r.unreadable.length > 0);
    const left = reports.some((r) => r.rekeyed > 0);
    return unreadable || (parsed.check && left) ? 1 : 0;
  } finally {
    redis.disconnect();
  }
  });
}

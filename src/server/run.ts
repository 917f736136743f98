/**
 * The long-running commands' shared body: read and validate the configuration (readable errors,
 * exit 2), start, print the demo credentials when on embedded defaults, and shut down gracefully
 * on SIGTERM/SIGINT.
 */
import { createSandbox } from '../sandbox/index.js';
import { ConfigError, loadConfig } from '../config/service-config.js';
import { RedisUnavailableError } from './embedded-redis.js';
import { startService, type RunningService, type SandboxFactory } from './service.js';
import { createServiceSyncEngine } from './service-sync-engine.js';

/** Which parts a command runs. */
export interface RunMode {
  api: boolean;
  workers: boolean;
}

function configFileArg(args: string[]): string | undefined {
  const i = args.indexOf('--config');
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--config='))?.slice('--config='.length);
}

function banner(service: RunningService): string {
  const lines = [`kap-fhir is up${service.url ? ` at ${service.url}` : ' (workers only)'}`];
  if (service.url) {
    lines.push(`  API docs       ${service.url}/docs`, `  queues (admin) ${service.url}/admin/queues`);
  }
  if (service.demo) {
    lines.push(
      '',
      'Embedded defaults (development only; refused with NODE_ENV=production):',
      `  demo clinic    ${service.demo.clinicId}`,
      `  clinic API key ${service.demo.apiKey}`,
      `  admin API key  ${service.demo.adminKey}`,
      `  sandbox EHR    ${service.url ?? ''}/sandbox/fhir`,
      `  redis          ${service.redisUrl}`,
      '',
      'Try:',
      `  curl -s -X POST ${service.url}/v1/episodes -H "Authorization: Bearer ${service.demo.apiKey}" \\`,
      '       -H "Content-Type: application/json" --data @examples/iv-ketamine-trd.json',
      `  curl -s "${service.url}/sandbox/fhir/Patient"`
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The sandbox EHR the service mounts at /sandbox/fhir: the service's body and JSON limits, loopback
 * clients only unless `SANDBOX_ALLOW_REMOTE=true`.
 * @param env - the environment
 */
export function sandboxFactory(env: NodeJS.ProcessEnv): SandboxFactory {
  return (config) =>
    createSandbox({
      limits: { bodyLimit: config.bodyLimit, jsonMaxDepth: config.jsonMaxDepth, jsonMaxArrayLength: config.jsonMaxArrayLength },
      allowRemote: env.SANDBOX_ALLOW_REMOTE === 'true',
    }).app;
}

/**
 * Runs until SIGTERM/SIGINT.
 * @param mode - API and/or workers
 * @param args - command arguments (`--config FILE`)
 * @returns the exit code
 */
export async function runService(mode: RunMode, args: string[]): Promise<number> {
  let service: RunningService;
  try {
    const config = loadConfig(process.env, configFileArg(args) ?? process.env.KAP_CONFIG);
    service = await startService({
      config,
      api: mode.api,
      workers: mode.workers,
      createSync: createServiceSyncEngine,
      createSandbox: sandboxFactory(process.env),
    });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RedisUnavailableError) {
      process.stderr.write(`kap-fhir: ${err.message}\n`);
      return err instanceof ConfigError ? 2 : 1;
    }
    throw err;
  }
  process.stdout.write(banner(service));
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`kap-fhir: ${signal}, shutting down\n`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.close();
  return 0;
}

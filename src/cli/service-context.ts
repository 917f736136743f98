/**
 * What the maintenance commands (`rekey`, `reconcile`) share: the service's configuration (file +
 * environment), its keyring and its Redis (one server or a cluster: `redis.endpoint`), each failure as one line on stderr and an exit code.
 */
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import { ConfigError, loadConfig, redisEndpointOf, type ServiceConfig } from '../config/service-config.js';
import { ensureRedis, RedisUnavailableError, type RedisHandle } from '../server/embedded-redis.js';
import { serviceCodec } from '../server/encryption-keys.js';

/** The service's configuration, keyring and Redis. */
export interface ServiceContext {
  config: ServiceConfig;
  codec: AtRestCodec;
  redis: RedisHandle;
}

/**
 * Runs a command with the service's context; Redis (an embedded one outside production) is stopped after.
 * @param configFile - `--config FILE` (default `KAP_CONFIG`)
 * @param redisUnavailableExit - the exit code when Redis does not answer
 * @param run - the command
 * @returns its exit code, 2 on a configuration error
 */
export async function withServiceContext(
  configFile: string | undefined,
  redisUnavailableExit: number,
  run: (ctx: ServiceContext) => Promise<number>
): Promise<number> {
  let config: ServiceConfig;
  let codec: AtRestCodec;
  try {
    config = loadConfig(process.env, configFile ?? process.env.KAP_CONFIG);
    codec = serviceCodec(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kap-fhir: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let redis: RedisHandle;
  try {
    redis = await ensureRedis({ url: config.redisUrl, endpoint: redisEndpointOf(config), explicit: config.redisUrlExplicit, allowEmbedded: !config.production });
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      process.stderr.write(`kap-fhir: ${err.message}\n`);
      return redisUnavailableExit;
    }
    throw err;
  }
  try {
    return await run({ config, codec, redis });
  } finally {
    await redis.stop();
  }
}

/**
 * `npm run sandbox`: the sandbox EHR alone. Port from `SANDBOX_PORT` (or `PORT`), default 8090;
 * `SANDBOX_HOST` (default 127.0.0.1: a non-loopback address is refused unless
 * `SANDBOX_ALLOW_REMOTE=true`, which also lets it answer non-loopback clients);
 * `SANDBOX_TRANSACTIONS=false` declares no transaction support; `SANDBOX_REQUIRE_AUTH=true`;
 * `BODY_LIMIT`, `JSON_MAX_DEPTH`, `JSON_MAX_ARRAY_LENGTH` as for the service;
 * `SANDBOX_REQUEST_LOG_LIMIT` (default 1000) entries kept in the request and webhook logs;
 * `SANDBOX_STRICT` strict mode (strict.ts `strictFromEnv`: `true`/`all`, or a list such as
 * `all,transactions=atomic,quota=3000,-prefer-minimal`).
 */
import { log } from '../log.js';
import { DEFAULT_REQUEST_LOG_LIMIT, sandboxLimits, startSandbox, type RunningSandbox, type SandboxLimits } from './sandbox.js';
import { strictFromEnv } from './strict.js';

const env = process.env;
const port = Number(env.SANDBOX_PORT ?? env.PORT ?? 8090);
const allowRemote = env.SANDBOX_ALLOW_REMOTE === 'true';
let sandbox: RunningSandbox;
try {
  let limits: SandboxLimits;
  try {
    limits = sandboxLimits({ bodyLimit: env.BODY_LIMIT || undefined, jsonMaxDepth: env.JSON_MAX_DEPTH || undefined, jsonMaxArrayLength: env.JSON_MAX_ARRAY_LENGTH || undefined });
  } catch {
    throw new Error('invalid BODY_LIMIT, JSON_MAX_DEPTH or JSON_MAX_ARRAY_LENGTH');
  }
  sandbox = await startSandbox({
    port,
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    allowRemote,
    limits,
    requestLogLimit: Number(env.SANDBOX_REQUEST_LOG_LIMIT || DEFAULT_REQUEST_LOG_LIMIT),
    transactions: env.SANDBOX_TRANSACTIONS !== 'false',
    requireAuth: env.SANDBOX_REQUIRE_AUTH === 'true',
    strict: strictFromEnv(env.SANDBOX_STRICT),
  });
} catch (err) {
  process.stderr.write(`sandbox EHR: ${(err as Error).message}\n`);
  process.exit(2);
}
if (allowRemote) {
  process.stderr.write('sandbox EHR: SANDBOX_ALLOW_REMOTE=true: answering every client, without credentials\n');
}
const strict = sandbox.controls.strict();
log.info({ port: sandbox.port, allowRemote, strict: strict ?? false }, 'sandbox EHR listening');
process.stdout.write(`sandbox EHR: ${sandbox.baseUrl}\n`);
const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

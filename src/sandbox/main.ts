/**
 * `npm run sandbox`: the sandbox EHR alone. Port from `SANDBOX_PORT` (or `PORT`), default 8090;
 * `SANDBOX_TRANSACTIONS=false` declares no transaction support; `SANDBOX_REQUIRE_AUTH=true`.
 */
import { log } from '../log.js';
import { startSandbox } from './sandbox.js';

const port = Number(process.env.SANDBOX_PORT ?? process.env.PORT ?? 8090);
const sandbox = await startSandbox({
  port,
  host: process.env.SANDBOX_HOST ?? '127.0.0.1',
  transactions: process.env.SANDBOX_TRANSACTIONS !== 'false',
  requireAuth: process.env.SANDBOX_REQUIRE_AUTH === 'true',
});
log.info({ port: sandbox.port }, 'sandbox EHR listening');
process.stdout.write(`sandbox EHR: ${sandbox.baseUrl}\n`);
const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

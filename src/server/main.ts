/**
 * Entry point that runs the CLI from the TypeScript sources (Node 24 type stripping with the
 * TypeScript-compiling hooks of scripts/ts-hooks.ts): used by the ingest benchmark (bench/ingest.ts) to
 * run the whole service as a real child process without a build (the tests run the compiled bin/kap-fhir.js).
 * `node --import ./scripts/ts-hooks.ts src/server/main.ts start`
 */
import { main } from '../cli/main.js';

process.exitCode = await main(process.argv.slice(2));

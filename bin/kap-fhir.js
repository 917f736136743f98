#!/usr/bin/env node
// The `kap-fhir` command: runs the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

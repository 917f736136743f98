#!/usr/bin/env node
// The `kap-fhir` command: checks the Node version, then runs the compiled CLI (npm ci builds it through
// `prepare`). The CLI is imported dynamically, after the check: a static import would be hoisted above it
// and fail on an older Node with a page of minified source instead of this one line.
const REQUIRED_MAJOR = 24;

if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR) {
  process.stderr.write(
    `kap-fhir: Node ${REQUIRED_MAJOR} is needed, this is Node ${process.version}. From the project folder, ` +
      `\`npx kap-fhir …\`, \`npm exec kap-fhir -- …\` and \`npm start\` use the project's own Node ${REQUIRED_MAJOR} ` +
      `(node_modules); or install Node ${REQUIRED_MAJOR} LTS (https://nodejs.org).\n`
  );
  process.exit(1);
}

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));

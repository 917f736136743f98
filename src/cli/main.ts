/**
 * `kap-fhir` command line: one module per sub-command, loaded lazily from this table.
 */

/** A sub-command: takes its arguments, writes to stdout/stderr, returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  // Each sub-command module adds its line here, e.g.
  // map: { summary: 'map FILE  KAP episode JSON -> FHIR transaction Bundle', load: async () => (await import('./map.js')).mapCommand },
  map: { summary: 'map FILE [--clinic ID]  KAP episode JSON -> the FHIR transaction Bundle the EHR receives (signals included; default clinic: the demo clinic)', load: async () => (await import('./map.js')).mapCommand },
  summary: { summary: 'summary FILE [--session ID | --episode] [--clinic ID] [--format pdf|fhir|docref] [--out PATH]  a dosing session (default the last) or with --episode the whole episode -> summary PDF, FHIR document Bundle or DocumentReference (session only)', load: async () => (await import('./summary.js')).summaryCommand },
  unmap: { summary: 'unmap FILE  FHIR Bundle -> KAP episode JSON (ignored list on stderr)', load: async () => (await import('./unmap.js')).unmapCommand },
  score: { summary: 'score FILE  KAP instrument submission or FHIR QuestionnaireResponse -> Bundle with score Observations', load: async () => (await import('./score.js')).scoreCommand },
  check: { summary: 'check FILE  KAP episode JSON or mapped Bundle -> safety signals as JSON', load: async () => (await import('./check.js')).checkCommand },
  validate: { summary: 'validate FILE [--profile URL] [--profile-file SD.json] [--package DIR]...  FHIR resource/Bundle -> OperationOutcome (exit 1 on errors)', load: async () => (await import('./validate.js')).validateCommand },
  start: { summary: 'start [--config FILE]  API + queue workers in one process (npm start)', load: async () => (await import('./start.js')).startCommand },
  serve: { summary: 'serve [--config FILE]  the HTTP API alone', load: async () => (await import('./serve.js')).serveCommand },
  worker: { summary: 'worker [--config FILE]  the queue workers alone', load: async () => (await import('./worker.js')).workerCommand },
  reconcile: {
    summary: 'reconcile --target ID [--clinic ID] [--episode ID] [--config FILE]  read a FHIR target back: missing, duplicated, different (exit 1 when any)',
    load: async () => (await import('./reconcile.js')).reconcileCommand,
  },
  rekey: { summary: 'rekey [--config FILE] [--dry-run | --check]  re-seal the data kept at rest with the current key (key rotation)', load: async () => (await import('./rekey.js')).rekeyCommand },
};

function usage(): string {
  const lines = Object.values(commands).map((c) => `  ${c.summary}`);
  return `usage: kap-fhir <command> [args]\n\ncommands:\n${lines.join('\n')}\n`;
}

/**
 * Runs the CLI.
 * @param argv - arguments after the program name
 * @returns the process exit code
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const entry = name ? commands[name] : undefined;
  if (!entry) {
    process.stderr.write(usage());
    return name && name !== '--help' ? 2 : 0;
  }
  const command = await entry.load();
  return command(rest);
}

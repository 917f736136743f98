/**
 * `kap-fhir validate FILE [--profile URL] [--profile-file SD.json] [--package DIR]... [--unknown-extensions ignore|warning|error] [--best-practice ignore|warning]`:
 * validates a FHIR resource (a Bundle entry by entry) against the KAP package, the R4 base and
 * any other party's conformance resources, prints the OperationOutcome JSON; exit 0 without
 * errors, 1 with errors, 2 only on bad usage (unknown option, missing argument, a FILE or
 * `--profile-file` / `--package` that cannot be read). Never a stack trace: a file that is not JSON,
 * a profile whose snapshot cannot be generated or that Medplum cannot parse, an internal failure
 * while validating: each is an issue in the OperationOutcome (exit 1 when it is an error), and a
 * supporting profile that cannot be used does not stop the others. As in the HL7 validator, an extension no
 * loaded definition describes is an error (example.org and similar URLs stay warnings; `--unknown-extensions
 * warning` is the service's own leniency) and best-practice warnings (dom-6) are on.
 */
import { readFileSync } from 'node:fs';
import type { OperationOutcome, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { hasErrors, issue, outcome } from '../outcomes.js';
import { collectConformance, readConformanceFolder } from '../validation/package-loader.js';
import { withSnapshots } from '../validation/snapshot-generator.js';
import { kapPackageDir, REFERENCE_VALIDATOR_SETTINGS, Validator } from '../validation/validator.js';
import type { UnknownExtensionPolicy } from '../validation/extension-check.js';

const USAGE =
  'usage: kap-fhir validate FILE [--profile URL] [--profile-file SD.json] [--package DIR]... [--unknown-extensions ignore|warning|error] [--best-practice ignore|warning]\n';

interface Args {
  file?: string;
  profile?: string;
  profileFile?: string;
  packages: string[];
  unknownExtensions: UnknownExtensionPolicy;
  bestPractice: boolean;
}

function parseArgs(args: string[]): Args | undefined {
  const out: Args = { packages: [], ...REFERENCE_VALIDATOR_SETTINGS };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (a === '--profile') {
      out.profile = next();
      if (!out.profile) return undefined;
    } else if (a === '--profile-file') {
      out.profileFile = next();
      if (!out.profileFile) return undefined;
    } else if (a === '--package') {
      const dir = next();
      if (!dir) return undefined;
      out.packages.push(dir);
    } else if (a === '--unknown-extensions') {
      const p = next();
      if (p !== 'ignore' && p !== 'warning' && p !== 'error') return undefined;
      out.unknownExtensions = p;
    } else if (a === '--best-practice') {
      const p = next();
      if (p !== 'ignore' && p !== 'warning') return undefined;
      out.bestPractice = p === 'warning';
    } else if (a.startsWith('--') || out.file) {
      return undefined;
    } else {
      out.file = a;
    }
  }
  return out.file ? out : undefined;
}

/**
 * Runs `kap-fhir validate`.
 * @param args - arguments after `validate`
 * @returns the exit code
 */
export async function validateCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed?.file) {
    process.stderr.write(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(parsed.file, 'utf8');
  } catch {
    process.stderr.write('validate: the file cannot be read\n');
    return 2;
  }
  const extra: Resource[] = [];
  for (const dir of parsed.packages) {
    try {
      extra.push(...readConformanceFolder(dir));
    } catch {
      process.stderr.write('validate: a --package folder cannot be read\n');
      return 2;
    }
  }
  let profile = parsed.profile;
  if (parsed.profileFile) {
    const found: Resource[] = [];
    try {
      collectConformance(JSON.parse(readFileSync(parsed.profileFile, 'utf8')), found);
    } catch {
      process.stderr.write('validate: --profile-file cannot be read as JSON\n');
      return 2;
    }
    const sd = found.find((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
    if (!sd?.url) {
      process.stderr.write('validate: --profile-file holds no StructureDefinition with a url\n');
      return 2;
    }
    extra.push(sd);
    profile ??= sd.url;
  }
  const outcome = await validateText(text, extra, profile, parsed);
  process.stdout.write(JSON.stringify(outcome, null, 2) + '\n');
  return hasErrors(outcome) ? 1 : 0;
}

/** Parses and validates; every failure past usage is an issue, never a throw. */
async function validateText(text: string, extra: Resource[], profile: string | undefined, args: Args): Promise<OperationOutcome> {
  let resource: Resource;
  try {
    resource = JSON.parse(text) as Resource;
  } catch {
    return outcome([issue('fatal', 'structure', 'The file is not valid JSON', '$this')]);
  }
  try {
    // withSnapshots never throws: a definition it cannot complete comes back without a snapshot, and
    // the validator reports it (error `exception`, naming the profile and the step) where it is used.
    const sds = extra.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
    const completed = await withSnapshots(sds, kapPackageDir());
    const resources = [...extra.filter((r) => r.resourceType !== 'StructureDefinition'), ...completed];
    const validator = new Validator({ resources, unknownExtensions: args.unknownExtensions, bestPractice: args.bestPractice });
    return validator.validate(resource, { profile });
  } catch {
    return outcome([issue('fatal', 'exception', 'Validation failed with an internal error (step: loading the conformance resources)', '$this')]);
  }
}

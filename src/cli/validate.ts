/**
 * `kap-fhir validate FILE [--profile URL] [--profile-file SD.json] [--package DIR]... [--unknown-extensions ignore|warning|error]`:
 * validates a FHIR resource (a Bundle entry by entry) against the KAP package, the R4 base and
 * any other party's conformance resources, prints the OperationOutcome JSON; exit 0 without
 * errors, 1 with errors, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { hasErrors } from '../outcomes.js';
import { collectConformance, readConformanceFolder } from '../validation/package-loader.js';
import { withSnapshots } from '../validation/snapshot-generator.js';
import { kapPackageDir, Validator } from '../validation/validator.js';
import type { UnknownExtensionPolicy } from '../validation/extension-check.js';

const USAGE =
  'usage: kap-fhir validate FILE [--profile URL] [--profile-file SD.json] [--package DIR]... [--unknown-extensions ignore|warning|error]\n';

interface Args {
  file?: string;
  profile?: string;
  profileFile?: string;
  packages: string[];
  unknownExtensions: UnknownExtensionPolicy;
}

function parseArgs(args: string[]): Args | undefined {
  const out: Args = { packages: [], unknownExtensions: 'warning' };
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
  let resource: Resource;
  try {
    resource = JSON.parse(readFileSync(parsed.file, 'utf8')) as Resource;
  } catch {
    process.stderr.write('validate: the file cannot be read as JSON\n');
    return 2;
  }
  const extra: Resource[] = [];
  for (const dir of parsed.packages) {
    extra.push(...readConformanceFolder(dir));
  }
  let profile = parsed.profile;
  if (parsed.profileFile) {
    const found: Resource[] = [];
    collectConformance(JSON.parse(readFileSync(parsed.profileFile, 'utf8')), found);
    const sd = found.find((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
    if (!sd?.url) {
      process.stderr.write('validate: --profile-file holds no StructureDefinition with a url\n');
      return 2;
    }
    extra.push(sd);
    profile ??= sd.url;
  }
  const sds = extra.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
  let completed: StructureDefinition[];
  try {
    completed = await withSnapshots(sds, kapPackageDir());
  } catch (err) {
    process.stderr.write(`validate: snapshot generation failed: ${(err as Error).message}\n`);
    return 2;
  }
  const resources = [...extra.filter((r) => r.resourceType !== 'StructureDefinition'), ...completed];
  const validator = new Validator({ resources, unknownExtensions: parsed.unknownExtensions });
  const outcome = validator.validate(resource, { profile });
  process.stdout.write(JSON.stringify(outcome, null, 2) + '\n');
  return hasErrors(outcome) ? 1 : 0;
}

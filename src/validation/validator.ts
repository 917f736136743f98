/**
 * `validate(resource, { profile? })`: Medplum's validator against the selected profile(s),
 * parsed once and cached, plus the checks Medplum 5 lacks (bindings, Bundle references and
 * target profiles, extensions, QuestionnaireResponse against its Questionnaire). A Bundle is
 * validated entry by entry, each issue's `expression` rooted at `Bundle.entry[i].resource`.
 */
import { isResourceType, OperationOutcomeError, validateTypedValue, getDataType } from '@medplum/core';
import type { Bundle, BundleEntry, OperationOutcome, OperationOutcomeIssue, QuestionnaireResponse, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { issue, outcome } from '../outcomes.js';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { BundleIndex } from '../bundle-index.js';
import { ConformanceStore, type LoadedProfile } from './conformance-store.js';
import { walkResource } from './element-walker.js';
import type { UnknownExtensionPolicy } from './extension-check.js';
import { addConformanceFolder, kapConformance } from './kap-package.js';
import { fromMedplumIssues } from './medplum-issues.js';
import { checkQuestionnaireResponse } from './questionnaire-response-check.js';
import { ResourceChecks, type CheckContext } from './resource-checks.js';
import { ValueSetExpander } from './value-set-expansion.js';
import { bundleRuleIssues } from './bundle-rules.js';
import { errorText } from './snapshot-generator.js';
import { impliedProfiles } from './implied-profiles.js';
import { resourceRuleIssues } from './resource-rules.js';
import { checkAbsentSlices } from './slice-check.js';

/** Where the KAP package is (kap-package.ts; re-exported for the callers that import it from here). */
export { kapPackageDir } from './kap-package.js';

/** Per-call options of `validate`. */
export interface ValidateOptions {
  /** Profile (canonical URL) for a resource without `meta.profile`; ignored when it declares some. */
  profile?: string;
}

/**
 * The settings under which the HL7 Java reference validator judges: an extension no loaded definition describes is
 * an error, best-practice warnings (dom-6) are on. `kap-fhir validate` and the test corpus use them; the service
 * keeps the library defaults (unknown extensions a warning) so that a partner's extension does not refuse a record.
 */
export const REFERENCE_VALIDATOR_SETTINGS = { unknownExtensions: 'error', bestPractice: true } as const satisfies ValidatorConfig;

/** How a Validator is built. */
export interface ValidatorConfig {
  /** Load the compiled KAP package (profiles/package). Default true. */
  kapPackage?: boolean;
  /** More conformance folders (FHIR package folders or folders of JSON files), loaded after ours. */
  packages?: readonly string[];
  /** More conformance resources (StructureDefinitions need a snapshot), loaded last. */
  resources?: readonly Resource[];
  /** Severity of an extension URL no loaded definition describes. Default `warning`. */
  unknownExtensions?: UnknownExtensionPolicy;
  /**
   * Report best-practice constraints (dom-6: narrative) as warnings, as the HL7 validator does by
   * default. Default false (the CLI turns it on).
   */
  bestPractice?: boolean;
}

/**
 * A validator over one set of loaded conformance resources. Build once, use for every call. Building
 * one is cheap: the KAP package is read once per process and shared (kap-package.ts); the R4 base
 * definitions (~1 s) are loaded on the first validation, and each profile is parsed on first use.
 */
export class Validator {
  readonly store: ConformanceStore;
  readonly expander: ValueSetExpander;
  private readonly unknownExtensions: UnknownExtensionPolicy;
  private readonly bestPractice: boolean;
  private readonly covered = new Map<string, Set<string>>();

  constructor(config: ValidatorConfig = {}) {
    this.unknownExtensions = config.unknownExtensions ?? 'warning';
    this.bestPractice = config.bestPractice ?? false;
    const kap = config.kapPackage === false ? undefined : kapConformance();
    const packages = config.packages ?? [];
    const resources = config.resources ?? [];
    if (kap && packages.length === 0 && resources.length === 0) {
      this.store = kap;
    } else {
      this.store = new ConformanceStore(kap);
      for (const folder of packages) {
        addConformanceFolder(this.store, folder);
      }
      this.store.addAll(resources);
    }
    this.expander = new ValueSetExpander(this.store);
  }

  /**
   * Validates a resource (a Bundle entry by entry).
   * @param resource - the resource
   * @param options - `profile` for a resource that declares none in `meta.profile`
   * @returns an OperationOutcome: error issues when invalid, else warnings or one `information`
   */
  validate(resource: Resource, options: ValidateOptions = {}): OperationOutcome {
    loadBaseDefinitions(); // once per process: the R4 types Medplum validates against
    const issues: OperationOutcomeIssue[] = [];
    if (!resource || typeof resource !== 'object' || !isResourceType(String(resource.resourceType))) {
      issues.push(issue('error', 'structure', 'Unknown or missing resourceType', 'resourceType'));
      return outcome(issues);
    }
    try {
      if (resource.resourceType === 'Bundle') {
        this.validateBundle(resource, options.profile, issues);
      } else {
        this.validateOne(resource, resource.resourceType, options.profile, undefined, issues);
      }
    } catch {
      // never a crash: every step below catches its own failures, this is the last resort
      issues.push(issue('fatal', 'exception', 'Validation failed with an internal error (step: validation)', resource.resourceType));
    }
    return outcome(dedupe(issues));
  }

  private validateBundle(bundle: Bundle, profile: string | undefined, issues: OperationOutcomeIssue[]): void {
    // entries that are not objects are reported by Medplum (structure); here they are skipped, in place
    const entries: BundleEntry[] = Array.isArray(bundle.entry)
      ? bundle.entry.map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? e : {}))
      : [];
    const stripEntries = entries.length > 0 && entries.every((e) => e.request || e.response);
    const shell: Bundle = stripEntries
      ? { ...bundle, entry: entries.map(({ resource: _resource, ...rest }) => rest) }
      : bundle;
    const shellIssues: OperationOutcomeIssue[] = [];
    this.validateOne(shell, 'Bundle', profile, undefined, shellIssues);
    issues.push(...(stripEntries ? shellIssues : shellIssues.filter((i) => !isEntryResourceIssue(i))));
    guarded(issues, 'Bundle rules', undefined, 'Bundle', () => bundleRuleIssues(bundle, 'Bundle'));
    const index = new BundleIndex({ ...bundle, entry: entries.map((e) => (e.resource && typeof e.resource === 'object' ? e : { ...e, resource: undefined })) });
    entries.forEach((entry, i) => {
      if (entry.resource && typeof entry.resource === 'object' && isResourceType(String(entry.resource.resourceType))) {
        this.validateOne(entry.resource, `Bundle.entry[${i}].resource`, undefined, index, issues);
      }
    });
  }

  private validateOne(
    resource: Resource,
    path: string,
    explicitProfile: string | undefined,
    bundle: BundleIndex | undefined,
    issues: OperationOutcomeIssue[]
  ): void {
    const profiles = this.selectProfiles(resource, path, explicitProfile, issues);
    const ctx: CheckContext = {
      store: this.store,
      expander: this.expander,
      unknownExtensions: this.unknownExtensions,
      bundle,
      issues,
    };
    const checks = new ResourceChecks(ctx);
    guarded(issues, 'resource rules', undefined, path, () => resourceRuleIssues(resource, path, { bestPractice: this.bestPractice }));
    for (const p of profiles) {
      const url = p.isBase ? undefined : p.url;
      guarded(issues, 'structure validation', url, path, () => runMedplum(resource, p, path));
      guarded(issues, 'element checks', url, path, () => {
        walkResource(resource as unknown as Record<string, unknown>, p.schema, checks, path);
        checkAbsentSlices(resource as unknown as Record<string, unknown>, p.schema, path, issues); // issue 15, H4
        return [];
      });
    }
    if (resource.resourceType === 'QuestionnaireResponse') {
      guarded(issues, 'QuestionnaireResponse against its Questionnaire', undefined, path, () => {
        checkQuestionnaireResponse(resource as QuestionnaireResponse, path, this.store, this.expander, issues);
        return [];
      });
    }
  }

  /**
   * `meta.profile` (unknown → warning "not checked", as the HL7 validator reports it; known but
   * unusable → error `exception`), else the option (unknown → error), plus the profiles implied by
   * content (R4 vital signs), else base R4.
   */
  private selectProfiles(
    resource: Resource,
    path: string,
    explicitProfile: string | undefined,
    issues: OperationOutcomeIssue[]
  ): LoadedProfile[] {
    const selected: LoadedProfile[] = [];
    const declared = Array.isArray(resource.meta?.profile) ? resource.meta.profile : [];
    declared.forEach((url, i) => {
      const at = `${path}.meta.profile[${i}]`;
      const p = this.useProfile(url, resource, at, 'warning', issues);
      if (p && !selected.some((s) => s.url === p.url)) {
        selected.push(p);
      }
    });
    if (declared.length === 0 && explicitProfile) {
      const p = this.useProfile(explicitProfile, resource, path, 'error', issues);
      if (p) {
        selected.push(p);
      }
    }
    // Profiles FHIR applies by content whatever meta.profile says (R4 vital signs by LOINC code).
    const implied = guardedValue(issues, 'implied profiles', undefined, path, () => impliedProfiles(resource)) ?? [];
    for (const url of implied) {
      // a selected profile derived from the implied one has its constraints already (KAP heart rate, SpO2, …), as
      // has one that declares it complies with it (KAP blood pressure restates core `bp`)
      if (!selected.some((s) => s.url === url || this.coveredBy(s).has(url))) {
        const p = this.useProfile(url, resource, path, 'none', issues);
        if (p) {
          selected.push(p);
        }
      }
    }
    if (selected.length === 0) {
      const schema = getDataType(resource.resourceType);
      const sd = { resourceType: 'StructureDefinition', type: resource.resourceType } as LoadedProfile['sd'];
      selected.push({ url: schema.url ?? '', sd, schema, key: resource.resourceType, isBase: true });
    }
    return selected;
  }

  /**
   * The canonical URLs whose constraints a profile carries, computed once per profile: those it derives from (its
   * baseDefinition chain) and those it declares it complies with (`structuredefinition-compliesWithProfile`).
   */
  private coveredBy(profile: LoadedProfile): Set<string> {
    let found = this.covered.get(profile.url);
    if (!found) {
      found = new Set(compliesWith(profile.sd));
      let base = profile.sd.baseDefinition;
      while (base && !found.has(base) && found.size < 20) {
        found.add(base);
        base = this.store.getStructureDefinition(base)?.baseDefinition;
      }
      this.covered.set(profile.url, found);
    }
    return found;
  }

  /**
   * The loaded profile for a URL the resource must meet, or an issue saying why it cannot be used.
   * @param url - the canonical URL (from meta.profile, the option, or implied)
   * @param resource - the resource
   * @param at - where to report
   * @param unknown - severity when no such profile is loaded (`none`: say nothing)
   * @param issues - where issues go
   */
  private useProfile(
    url: unknown,
    resource: Resource,
    at: string,
    unknown: 'warning' | 'error' | 'none',
    issues: OperationOutcomeIssue[]
  ): LoadedProfile | undefined {
    if (typeof url !== 'string' || url === '') {
      issues.push(issue('error', 'invalid', 'A profile reference must be a canonical URL', at));
      return undefined;
    }
    let p: LoadedProfile | undefined;
    let problem: string | undefined;
    try {
      p = this.store.getProfile(url);
      problem = p ? undefined : this.store.profileProblem(url);
    } catch (err) {
      problem = `profile loading failed: ${errorText(err)}`;
    }
    const name = profileName(url);
    if (problem) {
      issues.push(issue('error', 'exception', `Profile ${name} cannot be used (${problem}): not checked`, at));
      return undefined;
    }
    if (!p) {
      if (unknown !== 'none') {
        const text =
          unknown === 'warning'
            ? `Profile reference ${name} could not be found, not checked`
            : `Unknown profile ${name}: not among the loaded packages`;
        issues.push(issue(unknown, 'not-supported', text, at));
      }
      return undefined;
    }
    if (p.sd.type !== resource.resourceType) {
      issues.push(issue('error', 'invalid', `Profile ${name} is for another resource type`, at));
      return undefined;
    }
    return p;
  }
}

/** A profile's canonical URL as named in a message (shortened; a URL, not a resource value). */
function profileName(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

/**
 * Runs one validation step; its issues go to `issues`, an exception becomes an `exception` issue
 * naming the step and the profile (never the message: it may quote the resource).
 */
function guarded(
  issues: OperationOutcomeIssue[],
  step: string,
  profile: string | undefined,
  path: string,
  run: () => OperationOutcomeIssue[]
): void {
  const found = guardedValue(issues, step, profile, path, run);
  if (found) {
    issues.push(...found);
  }
}

function guardedValue<T>(
  issues: OperationOutcomeIssue[],
  step: string,
  profile: string | undefined,
  path: string,
  run: () => T
): T | undefined {
  try {
    return run();
  } catch {
    const against = profile ? ` against profile ${profileName(profile)}` : '';
    issues.push(issue('error', 'exception', `Validation step "${step}"${against} failed with an internal error; not checked`, path));
    return undefined;
  }
}

const COMPLIES_WITH = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-compliesWithProfile';

/** The profiles a StructureDefinition declares it complies with (every instance valid here is valid there). */
function compliesWith(sd: StructureDefinition): string[] {
  return (sd.extension ?? []).filter((e) => e.url === COMPLIES_WITH && e.valueCanonical).map((e) => e.valueCanonical as string);
}

/** Medplum's validator against a cached parsed profile (its type key), issues rebased to `path`. */
function runMedplum(resource: Resource, profile: LoadedProfile, path: string): OperationOutcomeIssue[] {
  let raw: OperationOutcomeIssue[];
  try {
    raw = validateTypedValue({ type: profile.key, value: resource });
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) {
      throw err;
    }
    raw = err.outcome.issue ?? [];
  }
  return fromMedplumIssues(raw, profile.schema.path, path);
}

function isEntryResourceIssue(i: OperationOutcomeIssue): boolean {
  return (i.expression ?? []).some((e) => /^Bundle\.entry\[\d+\]\.resource\b/.test(e));
}

function dedupe(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.severity}|${i.code}|${i.details?.text}|${(i.expression ?? []).join(',')}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

let defaultValidator: Validator | undefined;

/**
 * The process-wide validator over the KAP package (built on first use; the R4 base definitions and
 * the profiles load on its first validation, ~1–2 s).
 * @returns the shared Validator
 */
export function getDefaultValidator(): Validator {
  defaultValidator ??= new Validator();
  return defaultValidator;
}

/**
 * Validates a resource against the KAP package and FHIR R4 (see `Validator.validate`).
 * @param resource - the resource (a Bundle is validated entry by entry)
 * @param options - `profile` for a resource without `meta.profile`
 * @returns the OperationOutcome
 */
export function validate(resource: Resource, options: ValidateOptions = {}): OperationOutcome {
  return getDefaultValidator().validate(resource, options);
}

/**
 * `validate(resource, { profile? })`: Medplum's validator against the selected profile(s),
 * parsed once and cached, plus the checks Medplum 5 lacks (bindings, Bundle references and
 * target profiles, extensions, QuestionnaireResponse against its Questionnaire). A Bundle is
 * validated entry by entry, each issue's `expression` rooted at `Bundle.entry[i].resource`.
 */
import { isResourceType, OperationOutcomeError, validateTypedValue, getDataType } from '@medplum/core';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, QuestionnaireResponse, Resource } from '@medplum/fhirtypes';
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
import { impliedProfiles } from './implied-profiles.js';
import { resourceRuleIssues } from './resource-rules.js';

/** Where the KAP package is (kap-package.ts; re-exported for the callers that import it from here). */
export { kapPackageDir } from './kap-package.js';

/** Per-call options of `validate`. */
export interface ValidateOptions {
  /** Profile (canonical URL) for a resource without `meta.profile`; ignored when it declares some. */
  profile?: string;
}

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

  constructor(config: ValidatorConfig = {}) {
    this.unknownExtensions = config.unknownExtensions ?? 'warning';
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
    if (resource.resourceType === 'Bundle') {
      this.validateBundle(resource, options.profile, issues);
    } else {
      this.validateOne(resource, resource.resourceType, options.profile, undefined, issues);
    }
    return outcome(dedupe(issues));
  }

  private validateBundle(bundle: Bundle, profile: string | undefined, issues: OperationOutcomeIssue[]): void {
    const entries = bundle.entry ?? [];
    const stripEntries = entries.length > 0 && entries.every((e) => e?.request || e?.response);
    const shell: Bundle = stripEntries
      ? { ...bundle, entry: entries.map(({ resource: _resource, ...rest }) => rest) }
      : bundle;
    const shellIssues: OperationOutcomeIssue[] = [];
    this.validateOne(shell, 'Bundle', profile, undefined, shellIssues);
    issues.push(...(stripEntries ? shellIssues : shellIssues.filter((i) => !isEntryResourceIssue(i))));
    issues.push(...bundleRuleIssues(bundle, 'Bundle'));
    const index = new BundleIndex(bundle);
    entries.forEach((entry, i) => {
      if (entry?.resource && isResourceType(String(entry.resource.resourceType))) {
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
    issues.push(...resourceRuleIssues(resource, path));
    for (const p of profiles) {
      issues.push(...runMedplum(resource, p, path));
      walkResource(resource as unknown as Record<string, unknown>, p.schema, checks, path);
    }
    if (resource.resourceType === 'QuestionnaireResponse') {
      checkQuestionnaireResponse(resource as QuestionnaireResponse, path, this.store, this.expander, issues);
    }
  }

  /** `meta.profile` (unknown → error), else the option, else base R4. */
  private selectProfiles(
    resource: Resource,
    path: string,
    explicitProfile: string | undefined,
    issues: OperationOutcomeIssue[]
  ): LoadedProfile[] {
    const selected: LoadedProfile[] = [];
    const declared = resource.meta?.profile ?? [];
    declared.forEach((url, i) => {
      const p = typeof url === 'string' ? this.store.getProfile(url) : undefined;
      if (!p) {
        issues.push(issue('error', 'not-supported', 'Unknown profile: not among the loaded packages', `${path}.meta.profile[${i}]`));
      } else if (p.sd.type !== resource.resourceType) {
        issues.push(issue('error', 'invalid', 'Profile is for another resource type', `${path}.meta.profile[${i}]`));
      } else {
        selected.push(p);
      }
    });
    if (declared.length === 0 && explicitProfile) {
      const p = this.store.getProfile(explicitProfile);
      if (!p) {
        issues.push(issue('error', 'not-supported', 'Unknown profile: not among the loaded packages', path));
      } else if (p.sd.type !== resource.resourceType) {
        issues.push(issue('error', 'invalid', 'Profile is for another resource type', path));
      } else {
        selected.push(p);
      }
    }
    // Profiles FHIR applies by content whatever meta.profile says (R4 vital signs by LOINC code).
    for (const url of impliedProfiles(resource)) {
      const p = this.store.getProfile(url);
      if (p && !selected.some((s) => s.url === p.url)) {
        selected.push(p);
      }
    }
    if (selected.length === 0) {
      const schema = getDataType(resource.resourceType);
      const sd = { resourceType: 'StructureDefinition', type: resource.resourceType } as LoadedProfile['sd'];
      selected.push({ url: schema.url ?? '', sd, schema, key: resource.resourceType, isBase: true });
    }
    return selected;
  }
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

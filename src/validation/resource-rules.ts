/**
 * Rules on any resource that Medplum's validator skips (FHIR R4 resource.html, domainresource.html):
 *
 * - `Resource.id` (and each contained resource's id): the `id` type's regex `[A-Za-z0-9\-\.]{1,64}`
 *   (datatypes.html#id); the HL7 validator reports an error at `….id`.
 * - dom-3: a contained resource SHALL be referenced from elsewhere in the resource (`#id`) or refer to
 *   its container (`#`); the HL7 validator reports an error at `….contained[i]`.
 * - dom-5: a contained resource SHALL NOT have a security label (at `….contained[i].meta.security`).
 * - dom-6: a DomainResource should have narrative (`text.div`): a best-practice warning at the
 *   resource, as the HL7 validator reports it (contained resources are exempt: they are part of the
 *   container's narrative). Only when asked for (`bestPractice`): the CLI asks, as the HL7 validator
 *   does by default; the library's default leaves it out, so API outcomes stay free of a warning that
 *   every resource without narrative would carry.
 *
 * - canonical URLs of conformance resources (canonical-rules.ts).
 * - txt-1: the narrative's XHTML holds only basic formatting (narrative-check.ts).
 *
 * dom-2 (no nested contained) and dom-4 (no meta.versionId / lastUpdated in contained) are evaluated
 * by Medplum's validator already (error at the resource), so they are not repeated here.
 */
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { checkCanonicals } from './canonical-rules.js';
import { checkNarrativeXhtml } from './narrative-check.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Resource types that are not DomainResources (no `text`, no `contained`). */
const NOT_DOMAIN = new Set(['Bundle', 'Binary', 'Parameters']);

type Json = Record<string, unknown>;

/** Options of {@link resourceRuleIssues}. */
export interface ResourceRuleOptions {
  /** Report best-practice constraints (dom-6) as warnings. Default false. */
  bestPractice?: boolean;
}

/**
 * @param resource - the resource
 * @param path - its FHIRPath (e.g. `Bundle.entry[2].resource`)
 * @param options - `bestPractice` to report dom-6
 * @returns the issues
 */
export function resourceRuleIssues(resource: Resource, path: string, options: ResourceRuleOptions = {}): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const r = resource as unknown as Json;
  checkId(r, path, issues);
  checkCanonicals(r, path, issues);
  if (NOT_DOMAIN.has(resource.resourceType)) {
    return issues;
  }
  const text = r.text as Json | undefined;
  if (text && typeof text === 'object' && typeof text.div === 'string') {
    checkNarrativeXhtml(text.div, `${path}.text.div`, issues);
  }
  if (options.bestPractice && (!text || typeof text !== 'object' || text.div === undefined)) {
    issues.push(issue('warning', 'invariant', 'Constraint dom-6 not met: A resource should have narrative for robust management (best practice)', path));
  }
  const contained = Array.isArray(r.contained) ? (r.contained as unknown[]) : [];
  if (contained.length > 0) {
    checkContained(r, contained, path, issues);
  }
  return issues;
}

function checkId(r: Json, path: string, issues: OperationOutcomeIssue[]): void {
  if (r.id === undefined) {
    return;
  }
  if (typeof r.id !== 'string') {
    issues.push(issue('error', 'structure', 'Resource id must be a string', `${path}.id`));
  } else if (r.id.length > 64) {
    issues.push(issue('error', 'invalid', 'Resource id is longer than 64 characters', `${path}.id`));
  } else if (!ID.test(r.id)) {
    issues.push(issue('error', 'invalid', 'Resource id has characters outside [A-Za-z0-9-.] or is empty', `${path}.id`));
  }
}

function checkContained(container: Json, contained: unknown[], path: string, issues: OperationOutcomeIssue[]): void {
  const local = new Set<string>();
  collectLocalReferences(container, local);
  contained.forEach((c, i) => {
    if (!c || typeof c !== 'object') {
      return;
    }
    const at = `${path}.contained[${i}]`;
    const res = c as Json;
    checkId(res, at, issues);
    const meta = res.meta as Json | undefined;
    if (meta && Array.isArray(meta.security) && meta.security.length > 0) {
      issues.push(issue('error', 'invariant', 'Constraint dom-5 not met: If a resource is contained in another resource, it SHALL NOT have a security label', `${at}.meta.security`));
    }
    const referenced = typeof res.id === 'string' && local.has(`#${res.id}`);
    if (!referenced && !refersToContainer(res)) {
      issues.push(
        issue(
          'error',
          'invariant',
          'Constraint dom-3 not met: a contained resource SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource',
          at
        )
      );
    }
  });
}

/** Every string in the resource (contained ones included) that is a local reference `#…`. */
function collectLocalReferences(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (value.startsWith('#')) {
      out.add(value);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) {
      collectLocalReferences(v, out);
    }
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) {
      collectLocalReferences(v, out);
    }
  }
}

/** True when a contained resource refers to its container (`#`). */
function refersToContainer(res: Json): boolean {
  const refs = new Set<string>();
  collectLocalReferences(res, refs);
  return refs.has('#');
}

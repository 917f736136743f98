/**
 * Rules on a Bundle as a whole (not its entries' resources) that Medplum's validator does not make,
 * as the HL7 Java reference validator makes them (BundleValidator; FHIR R4 bundle.html). The bdl-*
 * invariants that Medplum evaluates itself (bdl-1..5, 7..10, 12) are not repeated. Here:
 *
 * - document / message without entries: error at `Bundle`; first entry without a resource: error at
 *   `Bundle.entry[0]`; its resource not a Composition (document, bdl-11) / MessageHeader (message):
 *   error at `Bundle.entry[0].resource`.
 * - `fullUrl` must be absolute (a URL with a scheme, `urn:uuid:`, `urn:oid:`): error at `Bundle.entry[i]`;
 *   required except in transaction / batch (and their responses); an `http(s)` fullUrl ending in
 *   `Type/id` must match the resource's type and id.
 * - links: paging relations (first, previous, next, last) only in searchset / history; at most one
 *   link of each paging relation and at most one `self`: error at the duplicate link.
 * - searchset: each entry has a resource; `match` / `include` entries a resource id, `match` entries
 *   a resource of a type the self link searched for; `outcome` entries an OperationOutcome; a
 *   searchset without a `self` link is a warning.
 * - a reference (`Reference.reference`) that matches more than one entry: error at the Reference.
 *
 * Messages name the rule and the element, never a value (no fullUrl, id or reference is echoed).
 */
import type { Bundle, BundleEntry, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { isResourceType } from '@medplum/core';
import { issue } from '../outcomes.js';

const PAGING = new Set(['first', 'previous', 'next', 'last']);
const FULLURL_OPTIONAL = new Set(['transaction', 'transaction-response', 'batch', 'batch-response']);
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const TYPE_ID_URL = /^https?:\/\/.*\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

type Json = Record<string, unknown>;

/**
 * @param bundle - the Bundle
 * @param path - its FHIRPath (`Bundle`)
 * @returns the issues
 */
export function bundleRuleIssues(bundle: Bundle, path: string): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  const entries: BundleEntry[] = Array.isArray(bundle.entry) ? bundle.entry : [];
  checkLinks(bundle, type, path, issues);
  checkFirstEntry(entries, type, path, issues);
  checkFullUrls(entries, type, path, issues);
  if (type === 'searchset') {
    checkSearchSet(bundle, entries, path, issues);
  }
  if (type !== 'history') {
    checkAmbiguousReferences(entries, path, issues);
  }
  return issues;
}

function checkLinks(bundle: Bundle, type: string, path: string, issues: OperationOutcomeIssue[]): void {
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const seen = new Set<string>();
  const search = type === 'searchset' || type === 'history';
  links.forEach((link, i) => {
    const rel = typeof link?.relation === 'string' ? link.relation : undefined;
    if (!rel) {
      return;
    }
    if (PAGING.has(rel) && !search && type !== '') {
      issues.push(issue('error', 'invalid', 'Paging links (first, previous, next, last) are only allowed in a searchset or history Bundle', `${path}.link[${i}].relation`));
    }
    if ((rel === 'self' || (search && PAGING.has(rel))) && seen.has(rel)) {
      issues.push(issue('error', 'invalid', `A Bundle can have only one link with relation '${rel}'`, search ? `${path}.link[${i}]` : `${path}.link[${i}].relation`));
    }
    seen.add(rel);
  });
}

function checkFirstEntry(entries: BundleEntry[], type: string, path: string, issues: OperationOutcomeIssue[]): void {
  if (type !== 'document' && type !== 'message') {
    return;
  }
  if (entries.length === 0) {
    issues.push(issue('error', 'invalid', `A ${type} Bundle must have at least one entry`, path));
    return;
  }
  const first = entries[0]?.resource;
  if (!first) {
    issues.push(issue('error', 'invalid', `The first entry of a ${type} Bundle must have a resource`, `${path}.entry[0]`));
    return;
  }
  const want = type === 'document' ? 'Composition' : 'MessageHeader';
  if (first.resourceType !== want) {
    const rule = type === 'document' ? 'bdl-11' : 'bdl-12';
    issues.push(issue('error', 'invalid', `The first resource of a ${type} Bundle must be a ${want} (${rule})`, `${path}.entry[0].resource`));
  }
}

function checkFullUrls(entries: BundleEntry[], type: string, path: string, issues: OperationOutcomeIssue[]): void {
  const optional = FULLURL_OPTIONAL.has(type);
  entries.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object') {
      return;
    }
    const at = `${path}.entry[${i}]`;
    const fullUrl = entry.fullUrl;
    if (fullUrl === undefined || fullUrl === '') {
      if (!optional && type !== '') {
        issues.push(issue('error', 'invalid', 'Bundle entries require a fullUrl (except in transaction and batch Bundles)', at));
      }
      return;
    }
    if (typeof fullUrl !== 'string' || !ABSOLUTE.test(fullUrl)) {
      issues.push(issue('error', 'invalid', 'Bundle.entry.fullUrl must be an absolute URL (or urn:uuid: / urn:oid:)', at));
      return;
    }
    const resource = entry.resource;
    const m = TYPE_ID_URL.exec(fullUrl);
    if (resource && m && (m[1] === resource.resourceType || isResourceType(m[1]))) {
      if (!resource.id) {
        issues.push(issue('error', 'invalid', 'The fullUrl names a resource id, but the resource has no id', at));
      } else if (m[1] !== resource.resourceType || m[2] !== resource.id) {
        issues.push(issue('error', 'invalid', "The fullUrl's resource type and id do not match the resource's", at));
      }
    }
  });
}

function checkSearchSet(bundle: Bundle, entries: BundleEntry[], path: string, issues: OperationOutcomeIssue[]): void {
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const self = links.find((l) => l?.relation === 'self');
  if (!self) {
    issues.push(issue('warning', 'invalid', 'A searchset Bundle should have a self link', path));
  }
  const types = searchTypes(typeof self?.url === 'string' ? self.url : undefined);
  entries.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object') {
      return;
    }
    const at = `${path}.entry[${i}]`;
    const resource = entry.resource;
    if (!resource) {
      issues.push(issue('error', 'invalid', 'Entries of a searchset Bundle must have a resource', at));
      return;
    }
    const mode = entry.search?.mode;
    if ((mode === 'match' || mode === 'include') && !resource.id) {
      issues.push(issue('error', 'invalid', `A search ${mode} entry's resource must have an id`, `${at}.resource`));
    }
    if (mode === 'match' && types.length > 0 && !types.includes(resource.resourceType)) {
      issues.push(issue('error', 'invalid', "A search match entry's resource is not of a type the self link searched for", `${at}.resource`));
    } else if (mode === 'outcome' && resource.resourceType !== 'OperationOutcome') {
      issues.push(issue('error', 'invalid', "A search entry with mode 'outcome' must be an OperationOutcome", `${at}.resource`));
    }
  });
}

/** The resource types a search URL (the self link) searched for: its last path segment, else `_type`. */
function searchTypes(url: string | undefined): string[] {
  if (!url) {
    return [];
  }
  const q = url.indexOf('?');
  const head = (q < 0 ? url : url.slice(0, q)).split('/').filter(Boolean);
  const last = head[head.length - 1];
  if (last && isResourceType(last)) {
    return [last];
  }
  const params = q < 0 ? [] : url.slice(q + 1).split('&');
  const type = params.find((p) => p.startsWith('_type='));
  return type ? type.slice('_type='.length).split(',').filter(Boolean) : [];
}

/** Entries by the names a reference may use: fullUrl, and `Type/id` of the resource. */
function entryNames(entries: BundleEntry[]): Map<string, Set<number>> {
  const names = new Map<string, Set<number>>();
  const add = (name: string, i: number): void => {
    let set = names.get(name);
    if (!set) {
      set = new Set();
      names.set(name, set);
    }
    set.add(i);
  };
  entries.forEach((entry, i) => {
    if (typeof entry?.fullUrl === 'string' && entry.fullUrl) {
      add(entry.fullUrl, i);
    }
    const r = entry?.resource;
    if (r?.resourceType && typeof r.id === 'string') {
      add(`${r.resourceType}/${r.id}`, i);
    }
  });
  return names;
}

function checkAmbiguousReferences(entries: BundleEntry[], path: string, issues: OperationOutcomeIssue[]): void {
  if (entries.length < 2) {
    return;
  }
  const names = entryNames(entries);
  entries.forEach((entry, i) => {
    const r = entry?.resource;
    if (r && r.resourceType !== 'Bundle') {
      walkReferences(r as unknown as Json, `${path}.entry[${i}].resource`, (ref, at) => {
        const versionless = ref.replace(/\/_history\/[^/]+$/, '');
        const matches = new Set([...(names.get(ref) ?? []), ...(names.get(versionless) ?? [])]);
        const typeId = /(?:^|\/)([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(versionless)?.[1];
        if (typeId && !/^[a-z]+:/.test(ref)) {
          for (const n of names.get(typeId) ?? []) {
            matches.add(n);
          }
        }
        if (matches.size > 1) {
          issues.push(issue('error', 'invalid', 'The reference matches more than one entry of the Bundle', at));
        }
      });
    }
  });
}

/** Calls `visit` for every `reference` string (not local `#…`, not conditional) under a value. */
function walkReferences(value: unknown, at: string, visit: (ref: string, at: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkReferences(v, `${at}[${i}]`, visit));
    return;
  }
  if (!value || typeof value !== 'object') {
    return;
  }
  const obj = value as Json;
  if (typeof obj.reference === 'string' && obj.reference && !obj.reference.startsWith('#') && !obj.reference.includes('?')) {
    visit(obj.reference, at);
  }
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'contained' || (v && typeof v === 'object' && (v as Json).resourceType === 'Bundle')) {
      continue;
    }
    if (v && typeof v === 'object') {
      walkReferences(v, `${at}.${k}`, visit);
    }
  }
}

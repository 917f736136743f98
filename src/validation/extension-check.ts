/**
 * Extensions, which Medplum 5 does not check against their definitions: an unknown URL is
 * reported per policy (ignore | warning | error); a known one must sit in one of its
 * definition's contexts and carry a value of an allowed type (or none, for a complex extension).
 * The caller then walks the extension against its definition (bindings, nested extensions).
 */
import type { Extension, OperationOutcomeIssue, StructureDefinition } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { canonicalUrl, type ConformanceStore, type LoadedProfile } from './conformance-store.js';
import type { ExtensionVisit } from './element-walker.js';

/** What an extension URL that no loaded definition describes gives. */
export type UnknownExtensionPolicy = 'ignore' | 'warning' | 'error';

/**
 * Checks one extension.
 * @param visit - the extension and its context
 * @param store - conformance resources
 * @param policy - severity for unknown extension URLs
 * @param issues - where issues are added
 * @returns the extension's loaded definition when it is known and its value type is allowed
 *   (the caller walks it), else undefined
 */
export function checkExtension(
  visit: ExtensionVisit,
  store: ConformanceStore,
  policy: UnknownExtensionPolicy,
  issues: OperationOutcomeIssue[]
): LoadedProfile | undefined {
  const ext = visit.value as Extension;
  if (!ext || typeof ext !== 'object' || typeof ext.url !== 'string') {
    return undefined; // Medplum reports the missing url
  }
  if (visit.parentExtensionUrl !== undefined && !ext.url.includes(':')) {
    return undefined; // a named part of a complex extension, described by its parent
  }
  const sd = store.getStructureDefinition(ext.url);
  if (sd?.type !== 'Extension') {
    if (policy !== 'ignore') {
      issues.push(issue(policy, 'extension', 'Unknown extension: no definition is loaded for its URL', visit.path));
    }
    return undefined;
  }
  if (!contextAllows(sd, visit)) {
    issues.push(issue('error', 'structure', 'Extension is not allowed in this context', visit.path));
  }
  const loaded = store.getProfile(ext.url);
  if (!loaded) {
    return undefined;
  }
  const valueElement = loaded.schema.elements['value[x]'];
  const valueKeys = Object.keys(ext).filter((k) => k.startsWith('value') && k.length > 5);
  let typeOk = true;
  for (const key of valueKeys) {
    const suffix = key.slice(5);
    const allowed = valueElement && valueElement.max > 0 ? valueElement.type.map((t) => t.code) : [];
    if (!allowed.some((code) => code === suffix || code === suffix[0].toLowerCase() + suffix.slice(1))) {
      issues.push(issue('error', 'structure', 'Extension value type is not allowed by its definition', `${visit.path}.${key}`));
      typeOk = false;
    }
  }
  if (valueKeys.length === 0 && valueElement && valueElement.min > 0) {
    issues.push(issue('error', 'required', 'Extension has no value', visit.path));
  }
  return typeOk ? loaded : undefined;
}

/**
 * Does the definition's `context` allow the extension where it sits?
 * @param sd - the extension's StructureDefinition
 * @param visit - where the extension sits
 * @returns true when allowed (or when the definition states no context)
 */
export function contextAllows(sd: StructureDefinition, visit: ExtensionVisit): boolean {
  const contexts = sd.context ?? [];
  if (contexts.length === 0) {
    return true;
  }
  return contexts.some((c) => {
    const expression = c.expression ?? '';
    if (c.type === 'fhirpath') {
      return true; // not judged
    }
    if (c.type === 'extension') {
      return visit.parentExtensionUrl !== undefined && canonicalUrl(expression) === visit.parentExtensionUrl;
    }
    const path = expression.includes('#') ? expression.slice(expression.indexOf('#') + 1) : expression;
    if (path === 'Element' || path === 'Base') {
      return true;
    }
    if (visit.onResource && (path === 'Resource' || path === 'DomainResource')) {
      return true;
    }
    return path === visit.contextPath || path === visit.contextType;
  });
}

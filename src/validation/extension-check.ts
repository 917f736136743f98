/**
 * Extensions, which Medplum 5 does not check against their definitions: an unknown URL is
 * reported per policy (ignore | warning | error; under `error`, the URLs the HL7 validator tolerates
 * — example domains, DICOM, HL7 tools — stay warnings); a known one must sit in one of its
 * definition's contexts and carry a value of an allowed type (or none, for a complex extension).
 * Extensions on primitives (`_birthDate`) are handed over by the walker like any other. A context
 * of kind `element` naming a type is met by that type and every type derived from it (an
 * Age is a Quantity, a CodeSystem a DomainResource); the R5 abstract types `CanonicalResource`
 * and `MetadataResource` (met in R5-era definitions) are met by the R4 resources that carry
 * `url`, `version` and `status`, as the HL7 validator resolves them.
 * The caller then walks the extension against its definition (bindings, nested extensions).
 */
import { isResourceType, tryGetDataType } from '@medplum/core';
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
      // As the HL7 validator: example, DICOM and HL7 tools URLs are never an error when unknown.
      const severity = policy === 'error' && tolerated(ext.url) ? 'warning' : policy;
      issues.push(issue(severity, 'extension', 'Unknown extension: no definition is loaded for its URL', visit.path));
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
 * URLs the HL7 validator lets pass when unknown (InstanceValidator.allowUnknownExtension): example
 * domains, DICOM (nema.org), the HL7 tools extensions.
 * @param url - an extension URL
 * @returns true when an unknown extension with this URL is not an error
 */
export function tolerated(url: string): boolean {
  return (
    url.includes('example.org') ||
    url.includes('acme.com') ||
    url.includes('nema.org') ||
    url.startsWith('http://hl7.org/fhir/tools/StructureDefinition/') ||
    url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-expression'
  );
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
    if (path === visit.contextPath || path === visit.contextType) {
      return true;
    }
    return !path.includes('.') && typeLineage(visit.contextType, visit.onResource).has(path);
  });
}

/** R4 types a definition's context may name for all quantities. */
const QUANTITY_SPECIALISATIONS = new Set(['Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity']);

const lineages = new Map<string, ReadonlySet<string>>();

/**
 * The type names an extension holder of `type` answers to: itself and its ancestors
 * (`Age` → Quantity, Element; a resource → DomainResource, Resource, and the R5 abstract
 * CanonicalResource / MetadataResource when it has their elements).
 * @param type - the holder's type (resource type, data type, primitive or backbone name)
 * @param onResource - true when the holder is the resource itself
 * @returns the names, cached per type
 */
export function typeLineage(type: string, onResource: boolean): ReadonlySet<string> {
  const key = `${onResource ? 'R' : 'E'}|${type}`;
  let hit = lineages.get(key);
  if (!hit) {
    const names = new Set<string>([type]);
    if (onResource && isResourceType(type)) {
      names.add('Resource');
      const elements = tryGetDataType(type)?.elements ?? {};
      if (elements.text) {
        names.add('DomainResource');
      }
      if (elements.url && elements.version && elements.status) {
        names.add('CanonicalResource');
        if (elements.date && elements.publisher) {
          names.add('MetadataResource');
        }
      }
    } else {
      names.add('Element');
      if (QUANTITY_SPECIALISATIONS.has(type)) {
        names.add('Quantity');
      }
      if (tryGetDataType(type)?.elements?.modifierExtension) {
        names.add('BackboneElement');
      }
    }
    hit = names;
    lineages.set(key, hit);
  }
  return hit;
}

/**
 * The walk visitor that adds to Medplum's checks what Medplum 5 lacks: bindings, reference
 * targets, data-type invariants wherever the type occurs, UCUM units, profile value rules,
 * extensions (known URL, context, value type, then the extension against its own definition —
 * Medplum's validator with the parsed extension profile, plus bindings inside it).
 */
import { getDataType, OperationOutcomeError, validateTypedValue, type InternalSchemaElement } from '@medplum/core';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { checkBinding } from './binding-check.js';
import { checkTypeInvariants } from './datatype-invariants.js';
import { checkUcum } from './ucum-check.js';
import { walkerChecksFixed } from './lean-schema.js';
import type { BundleIndex } from '../bundle-index.js';
import type { ConformanceStore, LoadedProfile } from './conformance-store.js';
import type { ElementVisit, ExtensionVisit, WalkVisitor } from './element-walker.js';
import { walkResource } from './element-walker.js';
import { checkExtension, type UnknownExtensionPolicy } from './extension-check.js';
import { fromMedplumIssues } from './medplum-issues.js';
import { checkReference } from './reference-check.js';
import { checkSliceContents } from './slice-check.js';
import { checkProfileValue } from './profile-value-check.js';
import type { ValueSetExpander } from './value-set-expansion.js';

/** Shared state of one validation run over one resource. */
export interface CheckContext {
  store: ConformanceStore;
  expander: ValueSetExpander;
  unknownExtensions: UnknownExtensionPolicy;
  bundle?: BundleIndex;
  issues: OperationOutcomeIssue[];
}

/** Visitor adding binding, reference and extension issues to `ctx.issues`. */
export class ResourceChecks implements WalkVisitor {
  private readonly ctx: CheckContext;

  constructor(ctx: CheckContext) {
    this.ctx = ctx;
  }

  /** Bindings, references, data-type invariants, UCUM and profile value rules of one value. */
  value(visit: ElementVisit): void {
    if (visit.invariants) {
      checkTypeInvariants(visit.value, visit.invariants, visit.path, visit.root, this.ctx.issues);
      checkUcum(visit.type, visit.value, visit.path, this.ctx.issues);
    }
    if (visit.element.binding) {
      checkBinding(visit, this.ctx.expander, this.ctx.issues);
    }
    if (visit.type === 'Reference') {
      checkReference(visit, this.ctx.store, this.ctx.bundle, this.ctx.issues);
    }
    if (walkerChecksFixed(visit.element)) {
      checkFixedValue(visit, this.ctx.issues);
    }
    checkProfileValue(visit, this.ctx.issues);
  }

  /**
   * An extension no loaded definition describes, and a named part of a complex extension (which its
   * parent's walk does not enter), is still an Extension: its value is walked against the base
   * Extension definition (data-type invariants, UCUM), as the HL7 validator does.
   */
  private unknownExtension(visit: ExtensionVisit): void {
    const ext = visit.value as { url?: unknown } | null;
    if (!ext || typeof ext !== 'object' || Array.isArray(ext) || typeof ext.url !== 'string') {
      return;
    }
    const namedPart = visit.parentExtensionUrl !== undefined && !ext.url.includes(':');
    if (!namedPart && this.ctx.store.getStructureDefinition(ext.url)) {
      return; // known (its value type was refused, or it is not an Extension definition)
    }
    walkResource(ext as Record<string, unknown>, getDataType('Extension'), this, visit.path, visit.root);
  }

  /** A required data-type child the profile adds (checked here rather than by Medplum, see lean-schema.ts). */
  missing(path: string): void {
    this.ctx.issues.push(issue('error', 'structure', 'Missing required property', path));
  }

  /**
   * An empty array or empty string, which FHIR JSON forbids (json.html: "arrays SHALL NOT be empty",
   * "empty strings are not allowed"); the HL7 validator reports both as errors.
   */
  malformed(path: string, problem: 'empty-array' | 'empty-string'): void {
    this.ctx.issues.push(
      problem === 'empty-array'
        ? issue('error', 'structure', 'Array cannot be empty: the property should not be present if it has no values', path)
        : issue('error', 'structure', 'A primitive value cannot be an empty string', path)
    );
  }

  /** Values of a sliced element against the slice each matches. */
  sliced(element: InternalSchemaElement, type: string, values: readonly unknown[], path: string): void {
    checkSliceContents(element, type, values, path, this.ctx.issues, (v) => this.value(v));
  }

  /** One extension: known, in context, right value type; then against its own definition. */
  extension(visit: ExtensionVisit): void {
    const loaded = checkExtension(visit, this.ctx.store, this.ctx.unknownExtensions, this.ctx.issues);
    if (!loaded) {
      this.unknownExtension(visit);
      return;
    }
    const ext = visit.value as Record<string, unknown>;
    if (needsMedplum(loaded)) {
      this.ctx.issues.push(...validateExtension(ext, loaded, visit.path));
    } else if (loaded.schema.elements.extension?.max === 0 && Array.isArray(ext.extension) && ext.extension.length > 0) {
      this.ctx.issues.push(issue('error', 'structure', 'A simple extension cannot contain extensions', `${visit.path}.extension`));
    }
    walkResource(ext, loaded.schema, this, visit.path, visit.root);
  }
}

const medplumNeeded = new WeakMap<LoadedProfile, boolean>();

/**
 * Does Medplum's validator check anything in this extension beyond what `checkExtension` and the
 * walk check (value type and presence, bindings, nested-extension count)? Only when the
 * definition constrains inside the value (`value[x].code`), slices, or adds invariants.
 */
function needsMedplum(loaded: LoadedProfile): boolean {
  let needed = medplumNeeded.get(loaded);
  if (needed === undefined) {
    const elements = Object.entries(loaded.schema.elements);
    needed =
      elements.some(([k, e]) => k.includes('.') || e.slicing || (e.constraints ?? []).some((c) => !/^(ele|ext)-1$/.test(c.key))) ||
      (loaded.schema.constraints ?? []).some((c) => !/^(ele|ext)-1$/.test(c.key));
    medplumNeeded.set(loaded, needed);
  }
  return needed;
}

/** Medplum's validator on one extension against its parsed definition, paths rebased to `path`. */
function validateExtension(ext: Record<string, unknown>, loaded: LoadedProfile, path: string): OperationOutcomeIssue[] {
  let raw: OperationOutcomeIssue[];
  try {
    raw = validateTypedValue({ type: loaded.key, value: ext });
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) {
      throw err;
    }
    raw = err.outcome.issue ?? [];
  }
  const valueKey = Object.keys(ext).find((k) => k.startsWith('value') && k.length > 5);
  const issues = fromMedplumIssues(raw, loaded.schema.path, path);
  if (valueKey) {
    // Medplum names the profile's dotted element (`value[x].code`), not the instance's key.
    const from = `${path}.value[x]`;
    for (const i of issues) {
      i.expression = i.expression?.map((e) => (e === from || e.startsWith(from + '.') ? `${path}.${valueKey}${e.slice(from.length)}` : e));
    }
  }
  return issues;
}

/**
 * A primitive fixed (or pattern) value of a data-type child a profile constrains (a unit fixed
 * by a profile: `valueQuantity.code` = `mm[Hg]`), moved from Medplum to the walker by lean-schema.ts.
 * @param visit - the value and its element
 * @param issues - where issues go
 */
export function checkFixedValue(visit: ElementVisit, issues: OperationOutcomeIssue[]): void {
  const required = visit.element.fixed ?? visit.element.pattern;
  if (required && required.value !== visit.value) {
    const what = visit.element.fixed ? 'fixed' : 'pattern';
    issues.push(issue('error', 'value', `Value does not match the ${what} value required by the profile`, visit.path));
  }
}

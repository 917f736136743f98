/**
 * Makes a parsed profile cheaper for Medplum's validator without changing what it checks.
 * A snapshot lists every child of each data type it constrains (`dosage.dose.id`,
 * `.extension`, `.unit`, …); Medplum's crawler visits every such dotted element for every
 * resource, although those that only repeat the data type's own definition check nothing the
 * nested data-type validation does not already check. They are dropped. Those that only raise
 * `min` and/or set a binding (`identifier.system` 1..1) move to `walkerElements()`: the element
 * walker checks their presence and bindings rather than Medplum's crawler, which reaches them by a
 * costly nested-path lookup. So do those under a choice that fix a primitive value (a unit fixed by
 * a profile: `value[x].code` = `mm[Hg]`), which Medplum names by the profile's path
 * (`Observation.value[x].code`), never the instance's (`Observation.valueQuantity.code`).
 * Any element that constrains anything else (types, max, other fixed/pattern values, slicing,
 * invariants) stays with Medplum.
 */
import { isPrimitiveType, tryGetDataType, type InternalSchemaElement, type InternalTypeSchema } from '@medplum/core';
import { needsProfileValueCheck } from './profile-value-check.js'; // minValue/maxValue: issue 15, H4

/**
 * Drops the unconstrained dotted (data-type child) elements of a schema and its inner types, in place.
 * @param schema - a schema freshly parsed from a profile
 * @returns the same schema
 */
export function leanSchema(schema: InternalTypeSchema): InternalTypeSchema {
  leanElements(schema.elements);
  for (const inner of schema.innerTypes) {
    leanElements(inner.elements);
  }
  return schema;
}

const moved = new WeakMap<Record<string, InternalSchemaElement>, Record<string, InternalSchemaElement>>();

/**
 * The dotted elements of a parsed profile's element record that the walker checks (presence, binding).
 * @param elements - `schema.elements` (or an inner type's)
 * @returns the moved elements by dotted key (empty when none)
 */
export function walkerElements(elements: Record<string, InternalSchemaElement>): Record<string, InternalSchemaElement> {
  return moved.get(elements) ?? EMPTY;
}

const EMPTY: Record<string, InternalSchemaElement> = Object.freeze({}) as Record<string, InternalSchemaElement>;

const fixedByWalker = new WeakSet<InternalSchemaElement>();

/**
 * Is this moved element's fixed or pattern (primitive) value checked by the walker, not by Medplum?
 * @param element - a schema element
 * @returns true for a moved element with a fixed/pattern primitive value
 */
export function walkerChecksFixed(element: InternalSchemaElement): boolean {
  return fixedByWalker.has(element);
}

/** A single primitive type with a fixed or pattern primitive value. */
function primitiveFixed(e: InternalSchemaElement): boolean {
  const v = (e.fixed ?? e.pattern)?.value;
  return (
    v !== undefined && (typeof v !== 'object' || v === null) && e.type.length === 1 && isPrimitiveType(e.type[0].code)
  );
}

function leanElements(elements: Record<string, InternalSchemaElement>): void {
  const out: Record<string, InternalSchemaElement> = {};
  for (const key of Object.keys(elements)) {
    if (!key.includes('.')) {
      continue;
    }
    const base = baseElement(elements, key);
    if (!base) {
      continue;
    }
    const e = elements[key];
    const fixed = primitiveFixed(e) && key.slice(0, key.lastIndexOf('.')).includes('[x]');
    const comparable = { ...e, min: base.min, binding: base.binding };
    if (fixed) {
      comparable.fixed = undefined;
      comparable.pattern = undefined;
    }
    if (sameAsBase(comparable, base)) {
      if (fixed || e.min !== base.min || bindingKey(e.binding) !== bindingKey(base.binding) || needsProfileValueCheck(e)) {
        out[key] = e;
      }
      if (fixed) {
        fixedByWalker.add(e);
      }
      delete elements[key];
    }
  }
  if (Object.keys(out).length > 0) {
    moved.set(elements, out);
  }
}

function bindingKey(b: InternalSchemaElement['binding']): string {
  return b && b.strength !== 'example' ? `${b.strength}|${(b.valueSet ?? '').split('|')[0]}` : '';
}

/** The data type's own definition of a dotted element (`dose.code` → Quantity.code). */
function baseElement(elements: Record<string, InternalSchemaElement>, key: string): InternalSchemaElement | undefined {
  const parts = key.split('.');
  let element: InternalSchemaElement | undefined = elements[parts[0]];
  for (let i = 1; i < parts.length; i++) {
    if (!element || element.type.length !== 1) {
      return undefined;
    }
    const type = tryGetDataType(element.type[0].code);
    element = type?.elements[parts[i]];
  }
  return element;
}

function sameAsBase(e: InternalSchemaElement, base: InternalSchemaElement): boolean {
  if (e.min !== base.min || e.max !== base.max || e.fixed || e.pattern || e.slicing) {
    return false;
  }
  if (bindingKey(e.binding) !== bindingKey(base.binding)) {
    return false;
  }
  const baseKeys = new Set((base.constraints ?? []).map((c) => c.key));
  if ((e.constraints ?? []).some((c) => !baseKeys.has(c.key))) {
    return false;
  }
  const types = (t: InternalSchemaElement): string =>
    JSON.stringify(t.type.map((x) => [x.code, x.targetProfile ?? [], x.profile ?? []]));
  return types(e) === types(base);
}

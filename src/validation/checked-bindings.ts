/**
 * Which bindings of an element are checked: its own (required, extensible) and the additional ones
 * (the R4 `elementdefinition-maxValueSet` extension, the tools `additional-binding` extension, an
 * R5-style `binding.additional`). The walker asks `bindingChecked` once per element; binding-check.ts
 * checks the values.
 */
import type { InternalSchemaElement } from '@medplum/core';
import type { ElementDefinitionBinding } from '@medplum/fhirtypes';

/** A binding besides the element's own, from an extension (or R5 `additional`). */
export interface AdditionalBinding {
  valueSet: string;
  purpose: 'maximum' | 'required' | 'extensible';
}

const MAX_VALUE_SET = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet';
const ADDITIONAL_BINDING = 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding';
const CHECKED_PURPOSES = new Set(['maximum', 'required', 'extensible']);

const additionalCache = new WeakMap<ElementDefinitionBinding, readonly AdditionalBinding[]>();

/**
 * The additional bindings a binding declares (cached per binding).
 * @param binding - an element's binding
 * @returns the checked ones (purpose maximum, required, extensible)
 */
export function additionalBindings(binding: ElementDefinitionBinding): readonly AdditionalBinding[] {
  let hit = additionalCache.get(binding);
  if (hit) {
    return hit;
  }
  const out: AdditionalBinding[] = [];
  for (const ext of binding.extension ?? []) {
    if (ext.url === MAX_VALUE_SET && (ext.valueCanonical ?? ext.valueUri)) {
      out.push({ valueSet: (ext.valueCanonical ?? ext.valueUri) as string, purpose: 'maximum' });
    } else if (ext.url === ADDITIONAL_BINDING) {
      const part = (name: string): Record<string, unknown> | undefined =>
        ext.extension?.find((e) => e.url === name) as Record<string, unknown> | undefined;
      const purpose = part('purpose')?.valueCode;
      const valueSet = part('valueSet')?.valueCanonical ?? part('valueSet')?.valueUri;
      if (typeof purpose === 'string' && CHECKED_PURPOSES.has(purpose) && typeof valueSet === 'string') {
        out.push({ valueSet, purpose: purpose as AdditionalBinding['purpose'] });
      }
    }
  }
  const r5 = (binding as { additional?: { purpose?: string; valueSet?: string }[] }).additional;
  for (const a of Array.isArray(r5) ? r5 : []) {
    if (a?.purpose && CHECKED_PURPOSES.has(a.purpose) && typeof a.valueSet === 'string') {
      out.push({ valueSet: a.valueSet, purpose: a.purpose as AdditionalBinding['purpose'] });
    }
  }
  hit = Object.freeze(out);
  additionalCache.set(binding, hit);
  return hit;
}

/**
 * Does this element's binding need its values checked? Decided once per element by the walker.
 * @param element - a schema element
 * @returns true for a required or extensible binding with a value set, or any checked additional binding
 */
export function bindingChecked(element: InternalSchemaElement): boolean {
  const b = element.binding;
  if (!b) {
    return false;
  }
  if (b.valueSet && (b.strength === 'required' || b.strength === 'extensible')) {
    return true;
  }
  return additionalBindings(b).length > 0;
}

/**
 * Terminology bindings Medplum 5 does not check, on every bindable type (code, Coding,
 * CodeableConcept, Quantity by system and code, string, uri): a value under a required binding
 * must be in the value set's local expansion (error); under an extensible binding a value outside
 * it is a warning. A CodeableConcept with no coding at all (text only) is reported the same way
 * ("No code provided"), when the value set is loaded. Additional bindings are checked as the HL7
 * validator does: the R4 `elementdefinition-maxValueSet` extension and the tools `additional-binding` extension (or an
 * R5-style `binding.additional`) with purpose `maximum` or `required` (error when outside) and
 * `extensible` (warning). Codes from systems the expansion leaves open (SNOMED CT, LOINC, …
 * without a concept list) are never reported.
 */
import type { InternalSchemaElement } from '@medplum/core';
import type { CodeableConcept, Coding, ElementDefinitionBinding, OperationOutcomeIssue, Quantity } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import type { ElementVisit } from './element-walker.js';
import { ValueSetExpander, type Membership } from './value-set-expansion.js';
import { additionalBindings, type AdditionalBinding } from './checked-bindings.js';

/** The quantity types, bound by system and code. */
const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity']);

/**
 * Checks one value against its element's binding and additional bindings.
 * @param visit - the value, its element and type
 * @param expander - the value-set expander
 * @param issues - where issues are added
 */
export function checkBinding(visit: ElementVisit, expander: ValueSetExpander, issues: OperationOutcomeIssue[]): void {
  const binding = visit.element.binding;
  if (!binding) {
    return;
  }
  let ownMissed = false;
  if (binding.valueSet && (binding.strength === 'required' || binding.strength === 'extensible')) {
    if (visit.type === 'CodeableConcept' && !hasCoding(visit.value) && expander.expand(stripVersion(binding.valueSet))) {
      // As the HL7 validator (InstanceValidator.checkBindings): text alone does not meet the binding.
      const vs = stripVersion(binding.valueSet);
      issues.push(
        binding.strength === 'required'
          ? issue('error', 'code-invalid', `No code provided, and a code is required from the value set ${vs}`, visit.path)
          : issue('warning', 'code-invalid', `No code provided, and a code should be provided from the value set ${vs}`, visit.path)
      );
      return;
    }
    if (memberOf(visit, binding.valueSet, expander) === 'no') {
      ownMissed = true;
      const vs = binding.valueSet.split('|')[0];
      if (binding.strength === 'required') {
        issues.push(issue('error', 'code-invalid', `Code is not in the required value set ${vs}`, visit.path));
      } else {
        issues.push(issue('warning', 'code-invalid', `Code is not in the extensible value set ${vs}`, visit.path));
      }
    }
  }
  const additional = binding.extension || (binding as { additional?: unknown }).additional ? additionalBindings(binding) : [];
  for (const a of additional) {
    if (a.purpose === 'maximum' && binding.strength === 'required' && ownMissed) {
      continue; // already an error
    }
    if (memberOf(visit, a.valueSet, expander) !== 'no') {
      continue;
    }
    const vs = a.valueSet.split('|')[0];
    if (a.purpose === 'extensible') {
      issues.push(issue('warning', 'code-invalid', `Code is not in the extensible additional value set ${vs}`, visit.path));
    } else {
      const what = a.purpose === 'maximum' ? 'maximum' : 'required additional';
      issues.push(issue('error', 'code-invalid', `Code is not in the ${what} value set ${vs}`, visit.path));
    }
  }
}

/**
 * Membership of a bound value: `code` by bare code, Coding by system and code, CodeableConcept
 * when any of its codings is a member (or from an open system). Values without a code are not judged.
 * @returns yes, no or unknown (not judged)
 */
export function memberOf(visit: ElementVisit, valueSet: string, expander: ValueSetExpander): Membership {
  let codings: Coding[];
  let bare: string | undefined;
  switch (visit.type) {
    case 'code':
    case 'string':
    case 'uri':
      bare = typeof visit.value === 'string' ? visit.value : undefined;
      codings = [];
      break;
    case 'Coding':
      codings = [visit.value as Coding];
      break;
    case 'CodeableConcept':
      codings = (visit.value as CodeableConcept).coding ?? [];
      break;
    default:
      if (!QUANTITY_TYPES.has(visit.type)) {
        return 'unknown';
      }
      codings = quantityCoding(visit.value as Quantity);
  }
  if (bare === undefined && !codings.some((c) => typeof c?.code === 'string')) {
    return 'unknown';
  }
  const expansion = expander.expand(stripVersion(valueSet));
  if (!expansion) {
    return 'unknown';
  }
  if (bare !== undefined) {
    return ValueSetExpander.member(expansion, undefined, bare);
  }
  let result: Membership = 'no';
  for (const c of codings) {
    if (typeof c?.code !== 'string') {
      continue;
    }
    const m = ValueSetExpander.member(expansion, c.system, c.code);
    if (m === 'yes') {
      return 'yes';
    }
    if (m === 'unknown') {
      result = 'unknown';
    }
  }
  return result;
}

function hasCoding(value: unknown): boolean {
  const coding = (value as CodeableConcept | null)?.coding;
  return Array.isArray(coding) && coding.length > 0;
}

function stripVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

function quantityCoding(q: Quantity | undefined): Coding[] {
  return q && typeof q === 'object' && typeof q.code === 'string' ? [{ system: q.system, code: q.code }] : [];
}

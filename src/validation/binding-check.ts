/**
 * Terminology bindings Medplum 5 does not check: a `code`, Coding or CodeableConcept under a
 * required binding must be in the value set's local expansion (error); under an extensible
 * binding a code outside it is a warning. Codes from systems the expansion leaves open (SNOMED CT,
 * LOINC, … without a concept list) are never reported.
 */
import type { CodeableConcept, Coding, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import type { ElementVisit } from './element-walker.js';
import { ValueSetExpander, type Membership } from './value-set-expansion.js';

/**
 * Checks one value against its element's binding.
 * @param visit - the value, its element and type
 * @param expander - the value-set expander
 * @param issues - where issues are added
 */
export function checkBinding(visit: ElementVisit, expander: ValueSetExpander, issues: OperationOutcomeIssue[]): void {
  const binding = visit.element.binding;
  if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) {
    return;
  }
  const membership = memberOf(visit, binding.valueSet, expander);
  if (membership !== 'no') {
    return;
  }
  const vs = binding.valueSet.split('|')[0];
  if (binding.strength === 'required') {
    issues.push(issue('error', 'code-invalid', `Code is not in the required value set ${vs}`, visit.path));
  } else {
    issues.push(issue('warning', 'code-invalid', `Code is not in the extensible value set ${vs}`, visit.path));
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
      return 'unknown';
  }
  if (bare === undefined && !codings.some((c) => typeof c?.code === 'string')) {
    return 'unknown';
  }
  const expansion = expander.expand(valueSet.includes('|') ? valueSet.slice(0, valueSet.indexOf('|')) : valueSet);
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

/**
 * Slice contents, which Medplum 5 does not check (it only counts the values matched to each
 * slice): a value matched to a slice must carry the slice's fixed and pattern values and its
 * required children, e.g. the `mm[Hg]` unit of a blood-pressure component.
 */
import { deepEquals, deepIncludes, getNestedProperty, matchDiscriminant, type InternalSchemaElement, type TypedValue } from '@medplum/core';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';

type SlicingRules = NonNullable<InternalSchemaElement['slicing']>;
type Slice = SlicingRules['slices'][number];

/**
 * Checks each value of a sliced element against the slice it matches.
 * @param element - the sliced element
 * @param type - the values' type code
 * @param values - the element's values
 * @param path - FHIRPath expression of the element (values are `path[i]`)
 * @param issues - where issues are added
 */
export function checkSliceContents(
  element: InternalSchemaElement,
  type: string,
  values: readonly unknown[],
  path: string,
  issues: OperationOutcomeIssue[]
): void {
  const slicing = element.slicing;
  if (!slicing?.slices.length) {
    return;
  }
  values.forEach((value, i) => {
    if (!value || typeof value !== 'object') {
      return;
    }
    const slice = matchingSlice({ type, value }, slicing);
    if (slice) {
      checkValue(value as Record<string, unknown>, slice, `${path}[${i}]`, issues);
    }
  });
}

function matchingSlice(value: TypedValue, slicing: SlicingRules): Slice | undefined {
  return slicing.slices.find((slice) => slicing.discriminator.every((d) => matches(value, d, slice)));
}

/** One discriminator: value/pattern on plain JSON (fast path), else Medplum's own matching. */
function matches(value: TypedValue, d: SlicingRules['discriminator'][number], slice: Slice): boolean {
  const se = d.path === '$this' ? slice : slice.elements[d.path];
  if ((d.type === 'value' || d.type === 'pattern') && se && (se.fixed || se.pattern)) {
    const found = d.path === '$this' ? [{ value: value.value, path: '' }] : resolve([{ value: value.value, path: '' }], d.path.split('.'));
    return found.some((f) => (se.pattern ? deepIncludes(f.value, se.pattern.value) : deepEquals(f.value, se.fixed?.value)));
  }
  const found = getNestedProperty(value, d.path);
  return found.flat().some((v) => v !== undefined && matchDiscriminant(v, d, slice));
}

const checkedElements = new WeakMap<Slice, [string, InternalSchemaElement][]>();

/** The slice's elements that say something to check (fixed, pattern, required), computed once. */
function checked(slice: Slice): [string, InternalSchemaElement][] {
  let list = checkedElements.get(slice);
  if (!list) {
    list = Object.entries(slice.elements).filter(([, e]) => e.fixed || e.pattern || e.min > 0);
    checkedElements.set(slice, list);
  }
  return list;
}

interface Found {
  value: unknown;
  path: string;
}

function checkValue(value: Record<string, unknown>, slice: Slice, path: string, issues: OperationOutcomeIssue[]): void {
  for (const [key, e] of checked(slice)) {
    const segments = key.split('.');
    const parents = resolve([{ value, path }], segments.slice(0, -1));
    for (const parent of parents) {
      const found = resolve([parent], segments.slice(-1));
      if (found.length === 0 && e.min > 0) {
        issues.push(issue('error', 'structure', 'Missing required property', `${parent.path}.${segments.at(-1)?.replace('[x]', '')}`));
      }
      for (const f of found) {
        const expected = e.fixed?.value ?? e.pattern?.value;
        const ok = e.fixed ? deepEquals(f.value, expected) : e.pattern ? deepIncludes(f.value, expected) : true;
        if (!ok) {
          issues.push(issue('error', 'structure', 'Value did not match expected pattern', f.path));
        }
      }
    }
  }
}

/** Values at a dotted element path (choice segments `value[x]` resolved from the JSON keys). */
function resolve(from: Found[], segments: readonly string[]): Found[] {
  let current = from;
  for (const segment of segments) {
    const next: Found[] = [];
    for (const { value, path } of current) {
      if (!value || typeof value !== 'object') {
        continue;
      }
      const obj = value as Record<string, unknown>;
      let key = segment;
      if (segment.endsWith('[x]')) {
        const stem = segment.slice(0, -3);
        key = Object.keys(obj).find((k) => k.startsWith(stem) && k.length > stem.length && k.charCodeAt(stem.length) < 91) ?? '';
      }
      const v = obj[key];
      if (v === undefined || v === null) {
        continue;
      }
      if (Array.isArray(v)) {
        v.forEach((item, i) => next.push({ value: item, path: `${path}.${key}[${i}]` }));
      } else {
        next.push({ value: v, path: `${path}.${key}` });
      }
    }
    current = next;
  }
  return current;
}

/**
 * Slices, beyond what Medplum 5 does with them (it only counts the values matched to each slice,
 * and only when the sliced element is present):
 * - a value matched to a slice must carry the slice's fixed and pattern values, its required
 *   children (e.g. the `mm[Hg]` unit of a blood-pressure component), satisfy the invariants declared
 *   on the slice, and its bound and min/maxValue-limited parts are handed to the value checks
 *   (binding-check, profile-value-check) with the slice's element definitions;
 * - a value that matches no slice of a `closed` slicing is an error;
 * - a required slice is missing when the sliced element is absent altogether;
 * - `type` discriminators on a child path (`Bundle.entry` sliced by `resource` type) are matched
 *   on that child's type (Medplum compares the slice's own type, so never counts such a value).
 * Messages follow Medplum's wording where Medplum reports the same thing for the base element, so
 * duplicates dedupe; they never carry submitted values.
 */
import {
  deepEquals,
  deepIncludes,
  evalFhirPathTyped,
  getNestedProperty,
  matchDiscriminant,
  parseFhirPath,
  tryGetDataType,
  type InternalSchemaElement,
  type InternalTypeSchema,
  type TypedValue,
} from '@medplum/core';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { needsProfileValueCheck, type ProfileValueVisit } from './profile-value-check.js';

type SlicingRules = NonNullable<InternalSchemaElement['slicing']>;
type Slice = SlicingRules['slices'][number];
type Constraint = NonNullable<InternalSchemaElement['constraints']>[number];
type FhirPathAtom = ReturnType<typeof parseFhirPath>;

/** A slice's own type, where fixTypeDiscriminators replaced it with its discriminating child's. */
const ownTypes = new WeakMap<Slice, Slice['type']>();

/**
 * Makes Medplum's `type` discriminator work on a child path: it compares the value at the
 * discriminator path with the slice's own type, which for `Bundle.entry` sliced by `resource`
 * is the entry's type, never the resource's. The slice gets the type of its element at that path.
 * Call once per freshly parsed profile.
 * @param schema - a parsed profile
 * @returns the same schema
 */
export function fixTypeDiscriminators(schema: InternalTypeSchema): InternalTypeSchema {
  const fix = (elements: Record<string, InternalSchemaElement>): void => {
    for (const element of Object.values(elements)) {
      const slicing = element.slicing;
      if (!slicing) {
        continue;
      }
      const typed = slicing.discriminator.filter((d) => d.type === 'type' && d.path !== '$this');
      if (typed.length !== 1) {
        continue; // Medplum matches every type discriminator against the one slice type
      }
      for (const slice of slicing.slices) {
        const at = slice.elements[typed[0].path];
        if (at?.type?.length && !ownTypes.has(slice)) {
          ownTypes.set(slice, slice.type);
          slice.type = at.type.map(resourceTypeOf);
        }
      }
    }
  };
  fix(schema.elements);
  for (const inner of schema.innerTypes) {
    fix(inner.elements);
  }
  return schema;
}

const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** `Resource` constrained to a base resource's profile (`…/StructureDefinition/Patient`) is that type. */
function resourceTypeOf(t: NonNullable<Slice['type']>[number]): NonNullable<Slice['type']>[number] {
  if ((t.code === 'Resource' || t.code === 'DomainResource') && t.profile?.length === 1 && t.profile[0].startsWith(HL7_SD)) {
    const name = t.profile[0].slice(HL7_SD.length);
    if (/^[A-Z][A-Za-z]+$/.test(name)) {
      return { ...t, code: name };
    }
  }
  return t;
}

/**
 * Checks each value of a sliced element against the slice it matches.
 * @param element - the sliced element
 * @param type - the values' type code
 * @param values - the element's values (a single-valued element: one value, its path is `path`)
 * @param path - FHIRPath expression of the element (values of a repeating element are `path[i]`)
 * @param issues - where issues are added
 * @param visit - receives the slice's bound and min/maxValue-limited values (with the slice's definitions)
 */
export function checkSliceContents(
  element: InternalSchemaElement,
  type: string,
  values: readonly unknown[],
  path: string,
  issues: OperationOutcomeIssue[],
  visit?: (v: ProfileValueVisit) => void
): void {
  const slicing = element.slicing;
  if (!slicing?.slices.length) {
    return;
  }
  const indexed = element.isArray !== false || values.length > 1;
  values.forEach((value, i) => {
    if (value === undefined || value === null) {
      return;
    }
    const at = indexed ? `${path}[${i}]` : path;
    const slice = matchingSlice({ type, value }, slicing);
    if (!slice) {
      // (a type the element does not allow at all is Medplum's "Invalid additional property": not twice)
      if (slicing.rule === 'closed' && decidable(slicing) && element.type.some((t) => t.code === type)) {
        issues.push(issue('error', 'structure', 'This element does not match any known slice of the profile, and slicing is closed', at));
      }
      return;
    }
    if (typeof value === 'object') {
      checkValue(value as Record<string, unknown>, slice, at, issues, visit);
    }
    checkSliceRoot(element, slice, { type, value }, at, issues, visit);
  });
}

/**
 * The required slices of a resource's sliced elements that are absent altogether (Medplum counts
 * slices only for a present element): top-level elements (`component`) and data-type children the
 * profile slices (`code.coding`, where `code` is present).
 * @param resource - the resource JSON
 * @param schema - the (profiled) schema of its type
 * @param path - FHIRPath expression of the resource
 * @param issues - where issues are added
 */
export function checkAbsentSlices(
  resource: Record<string, unknown>,
  schema: InternalTypeSchema,
  path: string,
  issues: OperationOutcomeIssue[]
): void {
  for (const { parents, leaf, required } of requiredSlices(schema)) {
    const holders = parents.length === 0 ? [{ value: resource, path, key: '' }] : resolve([{ value: resource, path, key: '' }], parents);
    for (const holder of holders) {
      if (!holder.value || typeof holder.value !== 'object' || present(holder.value as Record<string, unknown>, leaf)) {
        continue;
      }
      for (const slice of required) {
        const max = Number.isFinite(slice.max) ? slice.max : '*';
        issues.push(
          issue(
            'error',
            'structure',
            `Incorrect number of values provided for slice '${slice.name}': expected ${slice.min}..${max}, but found 0`,
            `${holder.path}.${leaf.replace('[x]', '')}`
          )
        );
      }
    }
  }
}

/** An optional sliced element with required slices: the path to its holder, its own name. */
interface RequiredSlices {
  parents: string[];
  leaf: string;
  required: Slice[];
}

const requiredCache = new WeakMap<InternalTypeSchema, RequiredSlices[]>();

/** The resource's optional sliced elements (top level, or dotted) with slices of min ≥ 1, once per schema. */
function requiredSlices(schema: InternalTypeSchema): RequiredSlices[] {
  let list = requiredCache.get(schema);
  if (!list) {
    list = [];
    for (const [key, element] of Object.entries(schema.elements)) {
      const required = (element.slicing?.slices ?? []).filter((s) => s.min > 0);
      if (element.min === 0 && required.length > 0) {
        const segments = key.split('.');
        list.push({ parents: segments.slice(0, -1), leaf: segments[segments.length - 1], required });
      }
    }
    requiredCache.set(schema, list);
  }
  return list;
}

function present(obj: Record<string, unknown>, key: string): boolean {
  if (!key.endsWith('[x]')) {
    const v = obj[key];
    return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  }
  const stem = key.slice(0, -3);
  return Object.keys(obj).some((k) => k.startsWith(stem) && k.length > stem.length && k.charCodeAt(stem.length) < 91);
}

const decidableCache = new WeakMap<SlicingRules, boolean>();

/**
 * Can every slice be told by what this module matches on (a fixed/pattern value, or types, at each
 * discriminator path)? Only then is "matches no slice" certain enough to report for closed slicing.
 */
function decidable(slicing: SlicingRules): boolean {
  let ok = decidableCache.get(slicing);
  if (ok === undefined) {
    ok = slicing.slices.every((slice) =>
      slicing.discriminator.every((d) => {
        const se = d.path === '$this' ? slice : slice.elements[d.path];
        return d.type === 'type' ? !!(d.path === '$this' ? slice.type : (se?.type ?? slice.type))?.length : !!(se?.fixed || se?.pattern);
      })
    );
    decidableCache.set(slicing, ok);
  }
  return ok;
}

function matchingSlice(value: TypedValue, slicing: SlicingRules): Slice | undefined {
  return slicing.slices.find((slice) => slicing.discriminator.every((d) => matches(value, d, slice)));
}

/** One discriminator: value/pattern on plain JSON (fast path), else Medplum's own matching. */
function matches(value: TypedValue, d: SlicingRules['discriminator'][number], slice: Slice): boolean {
  const se = d.path === '$this' ? slice : slice.elements[d.path];
  if ((d.type === 'value' || d.type === 'pattern') && se && (se.fixed || se.pattern)) {
    const found = d.path === '$this' ? [{ value: value.value, path: '', key: '' }] : resolve([{ value: value.value, path: '', key: '' }], d.path.split('.'));
    return found.some((f) => (se.pattern ? deepIncludes(f.value, se.pattern.value) : deepEquals(f.value, se.fixed?.value)));
  }
  if (d.type === 'type') {
    const found = d.path === '$this' ? [value] : getNestedProperty(value, d.path).flat();
    const types = (d.path === '$this' ? slice.type : (slice.elements[d.path]?.type ?? slice.type)) ?? [];
    return found.some((v) => v !== undefined && types.some((t) => t.code === v.type));
  }
  const found = getNestedProperty(value, d.path);
  return found.flat().some((v) => v !== undefined && matchDiscriminant(v, d, slice));
}

/** What the slice's own definition says about the whole value: fixed/pattern, invariants, binding, bounds. */
function checkSliceRoot(
  element: InternalSchemaElement,
  slice: Slice,
  value: TypedValue,
  path: string,
  issues: OperationOutcomeIssue[],
  visit?: (v: ProfileValueVisit) => void
): void {
  const expected = slice.fixed?.value ?? slice.pattern?.value;
  if (expected !== undefined) {
    const ok = slice.fixed ? deepEquals(value.value, expected) : deepIncludes(value.value, expected);
    if (!ok) {
      issues.push(issue('error', 'structure', 'Value did not match expected pattern', path));
    }
  }
  checkConstraints(sliceRootConstraints(element, slice), value, path, issues);
  if (visit && (sliceRootBindingDiffers(element, slice) || needsProfileValueCheck(slice as InternalSchemaElement))) {
    visit({ path, element: slice as InternalSchemaElement, type: value.type, value: value.value });
  }
}

const rootConstraints = new WeakMap<Slice, Constraint[]>();

/** The slice's error invariants that the sliced element does not already declare (Medplum checks those). */
function sliceRootConstraints(element: InternalSchemaElement, slice: Slice): Constraint[] {
  let list = rootConstraints.get(slice);
  if (!list) {
    const known = new Set((element.constraints ?? []).map((c) => c.key));
    list = (slice.constraints ?? []).filter((c) => c.severity === 'error' && c.key !== 'ele-1' && !known.has(c.key) && c.expression);
    rootConstraints.set(slice, list);
  }
  return list;
}

function sliceRootBindingDiffers(element: InternalSchemaElement, slice: Slice): boolean {
  return isChecked(slice.binding) && bindingKey(slice.binding) !== bindingKey(element.binding);
}

function isChecked(b: InternalSchemaElement['binding']): boolean {
  return !!b?.valueSet && (b.strength === 'required' || b.strength === 'extensible');
}

function bindingKey(b: InternalSchemaElement['binding']): string {
  return isChecked(b) ? `${b?.strength}|${(b?.valueSet ?? '').split('|')[0]}` : '';
}

const atoms = new Map<string, FhirPathAtom | null>();

/** A constraint's parsed expression, parsed once per process (null when it does not parse). */
function atomOf(expression: string): FhirPathAtom | null {
  let atom = atoms.get(expression);
  if (atom === undefined) {
    try {
      atom = parseFhirPath(expression);
    } catch {
      atom = null;
    }
    atoms.set(expression, atom);
  }
  return atom;
}

/** Evaluates invariants on one value; reports each false one as Medplum does (`Constraint key not met`). */
function checkConstraints(constraints: readonly Constraint[], value: TypedValue, path: string, issues: OperationOutcomeIssue[]): void {
  for (const c of constraints) {
    const atom = atomOf(c.expression);
    if (!atom) {
      continue;
    }
    let result: TypedValue[];
    try {
      result = evalFhirPathTyped(atom, [value], { '%context': value });
    } catch {
      continue; // needs %resource or another context this check does not have: not judged
    }
    if (!(result.length === 1 && result[0].value === true)) {
      issues.push(issue('error', 'invariant', `Constraint ${c.key} not met: ${c.description}`, path));
    }
  }
}

/** One element of a slice, with what is checked on it, computed once per slice. */
interface SliceChild {
  key: string;
  segments: string[];
  element: InternalSchemaElement;
  constraints: Constraint[];
  /** Hand its values to the value checks (a binding the base does not have, or min/maxValue). */
  visit: boolean;
  /** Check fixed/pattern/min here. */
  structural: boolean;
}

const checkedElements = new WeakMap<Slice, SliceChild[]>();

/** The slice's elements that say something to check, computed once. */
function checked(slice: Slice): SliceChild[] {
  let list = checkedElements.get(slice);
  if (!list) {
    list = [];
    for (const [key, e] of Object.entries(slice.elements)) {
      const base = baseElement(slice, key);
      const known = new Set((base?.constraints ?? []).map((c) => c.key));
      const constraints = (e.constraints ?? []).filter((c) => c.severity === 'error' && c.key !== 'ele-1' && !known.has(c.key) && c.expression);
      const visit = (isChecked(e.binding) && bindingKey(e.binding) !== bindingKey(base?.binding)) || needsProfileValueCheck(e);
      const structural = !!(e.fixed || e.pattern || e.min > 0);
      if (structural || visit || constraints.length > 0) {
        list.push({ key, segments: key.split('.'), element: e, constraints, visit, structural });
      }
    }
    checkedElements.set(slice, list);
  }
  return list;
}

/**
 * The base definition of a slice's element (`value[x].code` of a component slice → Quantity.code):
 * through the slice's own narrowed types where it narrows them, else the base types. Undefined
 * when a step has several types.
 */
function baseElement(slice: Slice, key: string): InternalSchemaElement | undefined {
  const parts = key.split('.');
  let types = ownTypes.has(slice) ? ownTypes.get(slice) : slice.type;
  let element: InternalSchemaElement | undefined;
  for (let i = 0; i < parts.length; i++) {
    if (!types || types.length !== 1) {
      return undefined;
    }
    element = tryGetDataType(types[0].code)?.elements[parts[i]];
    if (!element) {
      return undefined;
    }
    const own = slice.elements[parts.slice(0, i + 1).join('.')];
    types = own?.type?.length === 1 ? own.type : element.type;
  }
  return element;
}

interface Found {
  value: unknown;
  path: string;
  /** The JSON key it was found under (a choice element's resolved key, e.g. `valueQuantity`). */
  key: string;
}

function checkValue(
  value: Record<string, unknown>,
  slice: Slice,
  path: string,
  issues: OperationOutcomeIssue[],
  visit?: (v: ProfileValueVisit) => void
): void {
  for (const child of checked(slice)) {
    const { segments, element: e } = child;
    const parents = resolve([{ value, path, key: '' }], segments.slice(0, -1));
    for (const parent of parents) {
      const found = resolve([parent], segments.slice(-1));
      if (found.length === 0 && e.min > 0) {
        issues.push(issue('error', 'structure', 'Missing required property', `${parent.path}.${segments.at(-1)?.replace('[x]', '')}`));
      }
      for (const f of found) {
        if (child.structural) {
          const expected = e.fixed?.value ?? e.pattern?.value;
          const ok = e.fixed ? deepEquals(f.value, expected) : e.pattern ? deepIncludes(f.value, expected) : true;
          if (!ok) {
            issues.push(issue('error', 'structure', 'Value did not match expected pattern', f.path));
          }
        }
        if (child.constraints.length > 0 || (child.visit && visit)) {
          const type = valueType(e, segments.at(-1) ?? '', f.key);
          if (child.constraints.length > 0) {
            checkConstraints(child.constraints, { type, value: f.value }, f.path, issues);
          }
          if (child.visit && visit) {
            visit({ path: f.path, element: e, type, value: f.value });
          }
        }
      }
    }
  }
}

/** A found value's type: the element's single type, else the one its choice key names. */
function valueType(e: InternalSchemaElement, segment: string, key: string): string {
  if (e.type.length === 1 || !segment.endsWith('[x]')) {
    return e.type[0]?.code ?? 'Element';
  }
  const suffix = key.slice(segment.length - 3);
  return e.type.find((t) => t.code.toLowerCase() === suffix.toLowerCase())?.code ?? suffix;
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
        v.forEach((item, i) => next.push({ value: item, path: `${path}.${key}[${i}]`, key }));
      } else {
        next.push({ value: v, path: `${path}.${key}`, key });
      }
    }
    current = next;
  }
  return current;
}

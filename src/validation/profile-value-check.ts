/**
 * minValue[x] / maxValue[x] (and maxLength) from a profile, which Medplum's parser drops
 * (InternalSchemaElement has no place for them), so its validator never checks them.
 * `annotateProfile` reads them from the snapshot once per parsed profile and records them per
 * parsed element (WeakMap); the walker asks `needsProfileValueCheck(element)` once per element and
 * hands the values of those elements to `checkProfileValue`. A UCUM quantity in another UCUM unit
 * is converted to the bound's unit (@lhncbc/ucum-lhc), as the HL7 validator does. Errors as the
 * HL7 validator reports them (Type_Specific_Checks_DT_*_GT / _LT, Qty min/max, String length);
 * messages name the rule, never the submitted value.
 */
import ucum from '@lhncbc/ucum-lhc';
import type { InternalSchemaElement, InternalTypeSchema } from '@medplum/core';
import type { ElementDefinition, OperationOutcomeIssue, StructureDefinition } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';

/**
 * One value to check: what element-walker's ElementVisit carries (declared here, not imported, so
 * that the walker can import this module without a cycle).
 */
export interface ProfileValueVisit {
  /** FHIRPath expression of the value. */
  path: string;
  element: InternalSchemaElement;
  /** The value's type code. */
  type: string;
  value: unknown;
  /** The resource the walk started from (`%rootResource`), when known. */
  root?: unknown;
}

/** One bound: the `[x]` type suffix it was declared with and its value. */
interface Bound {
  type: string;
  value: unknown;
}

interface Bounds {
  min?: Bound;
  max?: Bound;
  /** ElementDefinition.maxLength: also dropped by Medplum's parser. */
  maxLength?: number;
}

const boundsOf = new WeakMap<InternalSchemaElement, Bounds>();

/**
 * Does the walker need to hand this element's values to `checkProfileValue`? Decided once per
 * element by the walker (KeyMatch), never per value.
 * @param element - a schema element (from a profile or a base type)
 * @returns true when the profile gives the element a minValue, maxValue or maxLength
 */
export function needsProfileValueCheck(element: InternalSchemaElement): boolean {
  return boundsOf.has(element);
}

/**
 * Records what the parsed schema lost from the snapshot (minValue / maxValue / maxLength). Call once per
 * freshly parsed profile, before leanSchema.
 * @param sd - the StructureDefinition the schema was parsed from (with its snapshot)
 * @param schema - Medplum's parsed schema of it
 * @returns the same schema
 */
export function annotateProfile(sd: StructureDefinition, schema: InternalTypeSchema): InternalTypeSchema {
  const snapshot = sd.snapshot?.element ?? [];
  const withBounds = snapshot.filter((ed) => boundOf(ed, 'min') || boundOf(ed, 'max') || typeof ed.maxLength === 'number');
  if (withBounds.length === 0) {
    return schema;
  }
  const index = indexElements(schema);
  for (const ed of withBounds) {
    const element = index.get(address(ed));
    if (element) {
      boundsOf.set(element, { min: boundOf(ed, 'min'), max: boundOf(ed, 'max'), maxLength: ed.maxLength });
    }
  }
  return schema;
}

/** `minValueInteger: 0` → { type: 'Integer', value: 0 }. */
function boundOf(ed: ElementDefinition, which: 'min' | 'max'): Bound | undefined {
  const stem = `${which}Value`;
  for (const [k, v] of Object.entries(ed)) {
    if (k.startsWith(stem) && k.length > stem.length && v !== undefined && v !== null) {
      return { type: k.slice(stem.length), value: v };
    }
  }
  return undefined;
}

/** Where an element definition lands in the parsed schema: its path, or its id inside a slice. */
function address(ed: ElementDefinition): string {
  return ed.id?.includes(':') ? ed.id : (ed.path ?? '');
}

/** Every parsed element by address: `Observation.value[x]`, `Observation.component:sys.value[x].code`. */
function indexElements(schema: InternalTypeSchema): Map<string, InternalSchemaElement> {
  const index = new Map<string, InternalSchemaElement>();
  const add = (owner: string, elements: Record<string, InternalSchemaElement>): void => {
    for (const [key, element] of Object.entries(elements)) {
      const at = `${owner}.${key}`;
      index.set(at, element);
      for (const slice of element.slicing?.slices ?? []) {
        const sliceAt = `${at}:${slice.name}`;
        index.set(sliceAt, slice as InternalSchemaElement);
        for (const [k, e] of Object.entries(slice.elements)) {
          index.set(`${sliceAt}.${k}`, e);
        }
      }
    }
  };
  add(schema.path, schema.elements);
  for (const inner of schema.innerTypes) {
    add(inner.path, inner.elements);
  }
  return index;
}

/**
 * minValue / maxValue of one value (numbers, dates and times, Quantities with the bound's unit).
 * @param visit - the value, its element and type
 * @param issues - where issues go
 */
export function checkProfileValue(visit: ProfileValueVisit, issues: OperationOutcomeIssue[]): void {
  const bounds = boundsOf.get(visit.element);
  if (!bounds) {
    return;
  }
  if (bounds.min && compare(visit.value, bounds.min) < 0) {
    issues.push(issue('error', 'invalid', `Value is less than the permitted minimum value (minValue${bounds.min.type})`, visit.path));
  }
  if (bounds.max && compare(visit.value, bounds.max) > 0) {
    issues.push(issue('error', 'invalid', `Value is greater than the permitted maximum value (maxValue${bounds.max.type})`, visit.path));
  }
  if (bounds.maxLength !== undefined && typeof visit.value === 'string' && [...visit.value].length > bounds.maxLength) {
    issues.push(issue('error', 'too-long', `Value is longer than the permitted maximum length of ${bounds.maxLength} (maxLength)`, visit.path));
  }
}

/**
 * value − bound's sign; 0 when within or not comparable (a unit of another system or dimension,
 * another kind of value). A UCUM quantity in another UCUM unit is converted to the bound's unit,
 * as the HL7 validator does.
 */
function compare(value: unknown, bound: Bound): number {
  const b = bound.value;
  if (typeof value === 'number' && typeof b === 'number') {
    return Math.sign(value - b);
  }
  if (typeof value === 'string' && typeof b === 'string') {
    return compareTemporal(value, b);
  }
  if (value && typeof value === 'object' && b && typeof b === 'object') {
    const q = value as { value?: unknown; code?: unknown; system?: unknown };
    const bq = b as { value?: unknown; code?: unknown; system?: unknown };
    if (typeof q.value !== 'number' || typeof bq.value !== 'number') {
      return 0;
    }
    if (bq.code === undefined || bq.code === q.code) {
      return bq.system === undefined || bq.system === q.system ? Math.sign(q.value - bq.value) : 0;
    }
    if (bq.system !== UCUM || q.system !== UCUM || typeof q.code !== 'string' || typeof bq.code !== 'string') {
      return 0; // another unit outside UCUM: not comparable
    }
    const converted = convertUcum(q.value, q.code, bq.code);
    if (converted === undefined) {
      return 0; // not convertible (another dimension): not judged here
    }
    const tolerance = 1e-9 * Math.max(1, Math.abs(bq.value));
    return Math.abs(converted - bq.value) <= tolerance ? 0 : Math.sign(converted - bq.value);
  }
  return 0;
}

const UCUM = 'http://unitsofmeasure.org';

interface UcumConverter {
  convertUnitTo(fromUnit: string, fromValue: number, toUnit: string): { status: string; toVal: number | null };
}
let converter: UcumConverter | undefined;

/** A UCUM quantity in another unit of the same dimension (NLM's ucum-lhc, as ucum-check.ts uses it). */
function convertUcum(value: number, from: string, to: string): number | undefined {
  converter ??= ucum.UcumLhcUtils.getInstance() as unknown as UcumConverter;
  try {
    const result = converter.convertUnitTo(from, value, to);
    return result.status === 'succeeded' && typeof result.toVal === 'number' ? result.toVal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Dates, dateTimes, instants and times: instants with a zone compare as points in time, others
 * on their common precision (`2020` is neither before nor after `2020-06-01`).
 */
function compareTemporal(value: string, bound: string): number {
  const zoned = /T.*(Z|[+-]\d\d:\d\d)$/;
  if (zoned.test(value) && zoned.test(bound)) {
    const a = Date.parse(value);
    const b = Date.parse(bound);
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      return Math.sign(a - b);
    }
  }
  const n = Math.min(value.length, bound.length, 19);
  const a = value.slice(0, n);
  const b = bound.slice(0, n);
  return a < b ? -1 : a > b ? 1 : 0;
}

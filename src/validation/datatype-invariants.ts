/**
 * Invariants declared on a data type's root (Period per-1, Quantity qty-3, SimpleQuantity sqty-1,
 * Range rng-2, Ratio rat-1, Attachment att-1, Reference ref-1, …), which Medplum 5 checks only at
 * the root of the resource it validates, never where the data type occurs. They are checked here
 * on every value of such a type, wherever it sits (FHIR R4 datatypes.html: "constraints on a data
 * type apply wherever it is used"). A type profiled on the element (`Quantity` with profile
 * SimpleQuantity) brings the profile's invariants. Each type's list is compiled once (FHIRPath
 * parsed once, AST cached); a few hot ones run natively (see NATIVE).
 */
import {
  evalFhirPathTyped,
  parseFhirPath,
  tryGetDataType,
  type InternalSchemaElement,
  type TypedValue,
} from '@medplum/core';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { ABSOLUTE_URI } from './canonical-rules.js';

type FhirPathAtom = ReturnType<typeof parseFhirPath>;

/** One invariant of a data type, ready to run. */
export interface CompiledInvariant {
  key: string;
  severity: 'error' | 'warning';
  description: string;
  /** Canonical URL of the data type (or type profile) that declares it. */
  source: string;
  /** The data type the value is evaluated as (`Quantity` for a SimpleQuantity). */
  type: string;
  /** Native implementation: true = met, false = not met. */
  native?: (value: Record<string, unknown>, root: unknown) => boolean;
  /** Parsed expression (when not native). */
  atom?: FhirPathAtom;
  expression: string;
}

/** Keys not checked here: ele-1 (Medplum reports empty values), ext-1 (extension-check.ts). */
const SKIPPED = new Set(['ele-1', 'ext-1']);

const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';
const UCUM_VAR: TypedValue = { type: 'uri', value: 'http://unitsofmeasure.org' };


const byType = new Map<string, readonly CompiledInvariant[] | null>();

/**
 * The invariants declared on the root of a value's data type (or of the element's type profile).
 * Called once per schema element (the walker's KeyMatch), cached per type and profile.
 * @param element - the element the value belongs to
 * @param type - the value's type code
 * @returns the invariants, or undefined when the type declares none to check
 */
export function typeInvariants(element: InternalSchemaElement, type: string): readonly CompiledInvariant[] | undefined {
  if (!type || type.charCodeAt(0) > 90 /* primitives start lower-case */) {
    return undefined;
  }
  const profiles = element.type.find((t) => t.code === type)?.profile ?? [];
  const profileName = profiles
    .map((p) => p.split('|')[0])
    .find((p) => p.startsWith(HL7_SD) && tryGetDataType(p.slice(HL7_SD.length))?.type === type)
    ?.slice(HL7_SD.length);
  const name = profileName ?? type;
  let hit = byType.get(name);
  if (hit === undefined) {
    hit = compile(name, type);
    byType.set(name, hit);
  }
  return hit ?? undefined;
}

function compile(name: string, type: string): readonly CompiledInvariant[] | null {
  const schema = tryGetDataType(name);
  if (!schema || schema.kind !== 'complex-type') {
    return null; // resources, and backbone elements (`TimingRepeat`: their constraints are the element's, Medplum checks those)
  }
  const out: CompiledInvariant[] = [];
  for (const c of schema.constraints ?? []) {
    if (SKIPPED.has(c.key) || (c.severity !== 'error' && c.severity !== 'warning')) {
      continue;
    }
    const compiled: CompiledInvariant = {
      key: c.key,
      severity: c.severity,
      description: c.description,
      source: schema.url ?? `${HL7_SD}${name}`,
      type,
      expression: c.expression,
    };
    const native = NATIVE[`${c.key}|${c.expression}`];
    if (native) {
      compiled.native = native;
    } else {
      try {
        compiled.atom = parseFhirPath(c.expression);
      } catch {
        continue; // an expression Medplum's FHIRPath cannot parse: not judged
      }
    }
    out.push(compiled);
  }
  out.push(...(TYPE_RULES[type] ?? []));
  return out.length > 0 ? out : null;
}

/**
 * Rules the HL7 validator applies to a data type beyond its declared constraints (terminologies.html: a code
 * system is identified by an absolute URI; the validator reports "Coding.system must be an absolute reference, not
 * a local reference" as an error).
 */
const TYPE_RULES: Record<string, readonly CompiledInvariant[]> = {
  Coding: [
    {
      key: 'coding-system-absolute',
      severity: 'error',
      description: 'Coding.system must be an absolute reference, not a local reference',
      source: 'http://hl7.org/fhir/R4/terminologies.html#4.1',
      type: 'Coding',
      expression: '',
      native: (v) => typeof v.system !== 'string' || ABSOLUTE_URI.test(v.system),
    },
  ],
};

/**
 * Runs a value's data-type invariants.
 * @param value - the value (an object; primitives have no root invariants)
 * @param invariants - its type's compiled invariants
 * @param path - FHIRPath expression of the value
 * @param root - the resource the value sits in (`%rootResource`)
 * @param issues - where issues go
 */
export function checkTypeInvariants(
  value: unknown,
  invariants: readonly CompiledInvariant[],
  path: string,
  root: unknown,
  issues: OperationOutcomeIssue[]
): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const inv of invariants) {
    if (!holds(inv, obj, root)) {
      issues.push(
        issue(inv.severity, 'invariant', `Constraint failed: ${inv.key}: '${inv.description}' (defined in ${inv.source})`, path)
      );
    }
  }
}

function holds(inv: CompiledInvariant, value: Record<string, unknown>, root: unknown): boolean {
  if (inv.native) {
    return inv.native(value, root);
  }
  try {
    const variables: Record<string, TypedValue> = { '%ucum': UCUM_VAR, '%context': { type: inv.type, value } };
    if (root && typeof root === 'object') {
      const tv: TypedValue = { type: String((root as { resourceType?: unknown }).resourceType ?? 'Resource'), value: root };
      variables['%rootResource'] = tv;
      variables['%resource'] = tv;
    }
    const result = evalFhirPathTyped(inv.atom as FhirPathAtom, [{ type: inv.type, value }], variables);
    // As the HL7 validator: only a result of exactly `true` meets the invariant (empty does not).
    return result.length === 1 && result[0].value === true;
  } catch {
    return true; // an expression Medplum's FHIRPath cannot evaluate: not judged
  }
}

/**
 * Native versions of hot or subtle invariants, keyed by `key|expression` so that a type whose
 * expression differs falls back to FHIRPath.
 */
const NATIVE: Record<string, (value: Record<string, unknown>, root: unknown) => boolean> = {
  'qty-3|code.empty() or system.exists()': (v) => v.code === undefined || v.system !== undefined,
  'sqty-1|comparator.empty()': (v) => v.comparator === undefined,
  'per-1|start.hasValue().not() or end.hasValue().not() or (start <= end)': (v) => periodOrdered(v.start, v.end),
  "ref-1|reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))":
    (v, root) => localReferenceResolves(v.reference, root),
  'cpt-2|value.empty() or system.exists()': (v) => v.value === undefined || v.system !== undefined,
  'att-1|data.empty() or contentType.exists()': (v) => v.data === undefined || v.contentType !== undefined,
  'exp-1|expression.exists() or reference.exists()': (v) => v.expression !== undefined || v.reference !== undefined,
  'rat-1|(numerator.empty() xor denominator.exists()) and (numerator.exists() or extension.exists())': (v) =>
    (v.numerator === undefined) !== (v.denominator !== undefined) && (v.numerator !== undefined || hasItems(v.extension)),
  'rng-2|low.empty() or high.empty() or (low <= high)': (v) => rangeOrdered(v.low, v.high),
  'age-1|(code.exists() or value.empty()) and (system.empty() or system = %ucum) and (value.empty() or value.hasValue().not() or value > 0)':
    (v) => unitWithValue(v) && systemIs(v, UCUM) && (typeof v.value !== 'number' || v.value > 0),
  "cnt-3|(code.exists() or value.empty()) and (system.empty() or system = %ucum) and (code.empty() or code = '1') and (value.empty() or value.hasValue().not() or value.toString().contains('.').not())":
    (v) =>
      unitWithValue(v) &&
      systemIs(v, UCUM) &&
      (v.code === undefined || v.code === '1') &&
      (typeof v.value !== 'number' || Number.isInteger(v.value)),
  'dis-1|(code.exists() or value.empty()) and (system.empty() or system = %ucum)': (v) => unitWithValue(v) && systemIs(v, UCUM),
  'drt-1|code.exists() implies ((system = %ucum) and value.exists())': (v) =>
    v.code === undefined || (v.system === UCUM && v.value !== undefined),
  "mqty-1|(code.exists() or value.empty()) and (system.empty() or system = 'urn:iso:std:iso:4217')": (v) =>
    unitWithValue(v) && systemIs(v, 'urn:iso:std:iso:4217'),
};

const UCUM = 'http://unitsofmeasure.org';

function hasItems(x: unknown): boolean {
  return Array.isArray(x) && x.length > 0;
}

/** `code.exists() or value.empty()` */
function unitWithValue(v: Record<string, unknown>): boolean {
  return v.code !== undefined || v.value === undefined;
}

/** `system.empty() or system = <system>` */
function systemIs(v: Record<string, unknown>, system: string): boolean {
  return v.system === undefined || v.system === system;
}

/**
 * rng-2: low SHALL be no higher than high. Judged when both carry a value in the same unit (or
 * neither names one); quantities in different units are not converted, so not reported.
 */
export function rangeOrdered(low: unknown, high: unknown): boolean {
  const l = low as { value?: unknown; code?: unknown; system?: unknown; unit?: unknown } | undefined;
  const h = high as typeof l;
  if (!l || !h || typeof l.value !== 'number' || typeof h.value !== 'number') {
    return true;
  }
  const sameUnit = l.code !== undefined || h.code !== undefined ? l.code === h.code && l.system === h.system : l.unit === h.unit;
  return !sameUnit || l.value <= h.value;
}

/**
 * per-1: start SHALL be no later than end. Each bound stands for the whole span its precision
 * allows (`2020-01` is all of January); only a start that is certainly after the end fails.
 */
export function periodOrdered(start: unknown, end: unknown): boolean {
  if (typeof start !== 'string' || typeof end !== 'string') {
    return true;
  }
  const s = instantRange(start);
  const e = instantRange(end);
  if (!s || !e) {
    return true; // Medplum reports a malformed dateTime
  }
  return s[0] <= e[1];
}

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Earliest and latest millisecond a FHIR date/dateTime/instant may stand for (no zone: UTC). */
function instantRange(text: string): [number, number] | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let offset = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  const Y = Number(y);
  if (mo === undefined) {
    return [Date.UTC(Y, 0, 1), Date.UTC(Y + 1, 0, 1) - 1];
  }
  const M = Number(mo) - 1;
  if (d === undefined) {
    return [Date.UTC(Y, M, 1), Date.UTC(Y, M + 1, 1) - 1];
  }
  const D = Number(d);
  if (h === undefined) {
    return [Date.UTC(Y, M, D), Date.UTC(Y, M, D + 1) - 1];
  }
  const base = Date.UTC(Y, M, D, Number(h), Number(mi)) - offset;
  if (s === undefined) {
    return [base, base + 59_999];
  }
  const at = base + Number(s) * 1000;
  if (frac === undefined) {
    return [at, at + 999];
  }
  const ms = Number(`0.${frac}`) * 1000;
  return [at + ms, at + ms];
}

/** ref-1: a local reference (`#id`) names a contained resource of the root resource (`#` alone: the container). */
function localReferenceResolves(reference: unknown, root: unknown): boolean {
  if (typeof reference !== 'string' || !reference.startsWith('#') || reference === '#') {
    return true;
  }
  const contained = (root as { contained?: unknown } | null)?.contained;
  const id = reference.slice(1);
  return Array.isArray(contained) && contained.some((c) => (c as { id?: unknown } | null)?.id === id);
}

/**
 * Walks the elements actually present in a resource against a (profiled) type schema, giving
 * each value with its FHIRPath expression, its element definition (the profile's, where the
 * profile constrains a nested data-type path such as `code.coding`) and its resolved type.
 * Only values with something to check are handed over: bound values, References, values of a
 * data type carrying invariants (Period, Quantity, …) and values of elements with a profile value
 * rule; that decision is made once per schema element (KeyMatch), never per value.
 * Extensions are handed over separately with their context, those on primitives (`_birthDate`)
 * too. Contained resources are walked against their base type; Bundle entries are not entered
 * (the validator validates each on its own). Key resolution is cached per schema.
 */
import {
  getDataType,
  isPrimitiveType,
  isResourceType,
  tryGetDataType,
  type InternalSchemaElement,
  type InternalTypeSchema,
} from '@medplum/core';
import { bindingChecked } from './checked-bindings.js';
import { typeInvariants, type CompiledInvariant } from './datatype-invariants.js';
import { walkerChecksFixed, walkerElements } from './lean-schema.js';
import { needsProfileValueCheck } from './profile-value-check.js';

/** One value met during the walk. */
export interface ElementVisit {
  /** FHIRPath expression of the value, e.g. `MedicationAdministration.dosage.route`. */
  path: string;
  element: InternalSchemaElement;
  /** The value's type code (a choice element resolved from its JSON key). */
  type: string;
  value: unknown;
  /** Invariants declared on the value's data type (its root), when it has any. */
  invariants?: readonly CompiledInvariant[];
  /** The resource the walk started from (`%rootResource`; absent: unknown). */
  root?: unknown;
}

/** One extension met during the walk, with the context it sits in. */
export interface ExtensionVisit {
  /** FHIRPath expression of the extension, e.g. `Observation.extension[0]`. */
  path: string;
  value: unknown;
  /** Definition path of the element holding the extension, e.g. `MedicationAdministration.dosage`. */
  contextPath: string;
  /** Type of the element holding the extension (resource type, data type or backbone name). */
  contextType: string;
  /** True when the holder is the resource itself. */
  onResource: boolean;
  /** `url` of the holder when the holder is itself an extension. */
  parentExtensionUrl?: string;
  modifier: boolean;
  /** The resource the walk started from. */
  root?: unknown;
}

/** Callbacks of a walk. */
export interface WalkVisitor {
  value(visit: ElementVisit): void;
  extension(visit: ExtensionVisit): void;
  /** A required child (moved out of Medplum's schema by lean-schema.ts) is absent: `path` is where it is missing. */
  missing?(path: string): void;
  /** The values of a sliced element (`path` is the element's; values of a repeating element are `path[i]`, a single value is `path`). */
  sliced?(element: InternalSchemaElement, type: string, values: readonly unknown[], path: string): void;
  /** A JSON shape FHIR forbids and Medplum lets pass: an empty array (`path` is the property), an empty string. */
  malformed?(path: string, problem: 'empty-array' | 'empty-string'): void;
}

/** What is fixed for every object walked at one place of one schema: cached, with its key lookups. */
interface Table {
  /** Elements of the type being walked. */
  elements: Record<string, InternalSchemaElement>;
  /** Elements of the nearest profiled owner (dotted keys override), and the prefix into it. */
  owner: Record<string, InternalSchemaElement>;
  prefix: string;
  contextPath: string;
  contextType: string;
  onResource: boolean;
  root: InternalTypeSchema;
  keys: Map<string, KeyMatch | null>;
  /** Walker-checked elements of the owner (lean-schema.ts). */
  extra: Record<string, InternalSchemaElement>;
  /** Names of required children checked here (from `extra`). */
  required: string[];
}

interface KeyMatch {
  name: string;
  element: InternalSchemaElement;
  type: string;
  /** The table of the value's children (built on first use; null for primitives). */
  child?: Table | null;
  /** Does the visitor need to see the value itself (bound, a Reference, type invariants, profile value rule)? */
  visit: boolean;
  primitive: boolean;
  invariants?: readonly CompiledInvariant[];
  /** A nested resource to walk against its own base type (`contained`). */
  resource: boolean;
}

function keyMatch(name: string, element: InternalSchemaElement, type: string): KeyMatch {
  const invariants = typeInvariants(element, type);
  const visit =
    type === 'Reference' ||
    bindingChecked(element) ||
    invariants !== undefined ||
    needsProfileValueCheck(element) ||
    walkerChecksFixed(element);
  const resource = name === 'contained' && element.path.endsWith('.contained');
  return { name, element, type, visit, primitive: isPrimitiveType(type), invariants, resource };
}

/** What a walk carries unchanged down the tree. */
interface Walk {
  visitor: WalkVisitor;
  root: unknown;
}

const rootTables = new WeakMap<InternalTypeSchema, Table>();

/**
 * Walks a resource, or an extension against its definition.
 * @param value - the resource (or extension) JSON
 * @param schema - the (profiled) schema of its type
 * @param visitor - callbacks
 * @param path - FHIRPath expression of `value` (default: the schema's root path)
 * @param root - the resource the walk belongs to (`%rootResource`; default: `value`)
 */
export function walkResource(
  value: Record<string, unknown>,
  schema: InternalTypeSchema,
  visitor: WalkVisitor,
  path?: string,
  root?: unknown
): void {
  let table = rootTables.get(schema);
  if (!table) {
    const isExtension = schema.type === 'Extension';
    table = {
      elements: schema.elements,
      owner: schema.elements,
      prefix: '',
      contextPath: schema.path,
      contextType: isExtension ? 'Extension' : schema.path,
      onResource: !isExtension,
      root: schema,
      keys: new Map(),
      extra: walkerElements(schema.elements),
      required: [],
    };
    rootTables.set(schema, table);
  }
  const extensionUrl = schema.type === 'Extension' ? String(value.url ?? '') : undefined;
  walkObject(value, table, extensionUrl, path ?? schema.path, { visitor, root: root ?? value });
}

function walkObject(
  obj: Record<string, unknown>,
  table: Table,
  extensionUrl: string | undefined,
  path: string,
  walk: Walk
): void {
  const visitor = walk.visitor;
  for (const key of Object.keys(obj)) {
    if (key === 'resourceType') {
      continue;
    }
    const raw = obj[key];
    if (Array.isArray(raw) && raw.length === 0) {
      visitor.malformed?.(`${path}.${key}`, 'empty-array');
      continue;
    }
    if (key.charCodeAt(0) === 95 /* _ */) {
      primitiveExtensions(key, raw, table, path, walk);
      continue;
    }
    if (key === 'extension' || key === 'modifierExtension') {
      if (Array.isArray(raw)) {
        for (let i = 0; i < raw.length; i++) {
          visitor.extension({
            path: `${path}.${key}[${i}]`,
            value: raw[i],
            contextPath: table.contextPath,
            contextType: table.contextType,
            onResource: table.onResource,
            parentExtensionUrl: extensionUrl,
            modifier: key === 'modifierExtension',
            root: walk.root,
          });
        }
      }
      continue;
    }
    const match = keyOf(table, key);
    if (!match) {
      continue; // unknown property: Medplum reports it
    }
    if (match.element.slicing && raw !== null && raw !== undefined) {
      // a single-valued sliced element (value[x] by type) too, primitives too: issue 15, H4
      visitor.sliced?.(match.element, match.type, Array.isArray(raw) ? raw : [raw], `${path}.${key}`);
    }
    if (match.primitive) {
      if (raw === '' && key !== 'id') {
        // `""` is not a FHIR value (json.html); Medplum skips it (in an array it reports it; `id`: resource-rules.ts)
        visitor.malformed?.(`${path}.${key}`, 'empty-string');
      }
      if (!match.visit) {
        continue; // nothing else to check in it (an extension on a primitive sits in `_key`)
      }
    }
    if (Array.isArray(raw)) {
      for (let i = 0; i < raw.length; i++) {
        visitValue(raw[i], `${path}.${key}[${i}]`, match, table, walk);
      }
    } else {
      visitValue(raw, `${path}.${key}`, match, table, walk);
    }
  }
  for (const name of table.required) {
    if (!present(obj, name)) {
      visitor.missing?.(`${path}.${name}`);
    }
  }
}

function keyOf(table: Table, key: string): KeyMatch | null {
  let match = table.keys.get(key);
  if (match === undefined) {
    match = findElement(table, key) ?? null;
    table.keys.set(key, match);
  }
  return match;
}

/**
 * The extensions of a primitive (`_birthDate: { extension: [...] }`, or an array of such beside
 * an array of primitives), handed over like any other, in the primitive element's context.
 */
function primitiveExtensions(key: string, raw: unknown, table: Table, path: string, walk: Walk): void {
  const name = key.slice(1);
  const match = name ? keyOf(table, name) : null;
  if (!match || !raw || typeof raw !== 'object') {
    return; // an unknown `_key`: Medplum reports it
  }
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      elementExtensions(raw[i], `${path}.${name}[${i}]`, match, walk);
    }
  } else {
    elementExtensions(raw, `${path}.${name}`, match, walk);
  }
}

function elementExtensions(element: unknown, path: string, match: KeyMatch, walk: Walk): void {
  const extensions = (element as { extension?: unknown } | null)?.extension;
  if (!Array.isArray(extensions)) {
    return;
  }
  for (let i = 0; i < extensions.length; i++) {
    walk.visitor.extension({
      path: `${path}.extension[${i}]`,
      value: extensions[i],
      contextPath: match.element.path,
      contextType: match.type,
      onResource: false,
      modifier: false,
      root: walk.root,
    });
  }
}

function visitValue(value: unknown, path: string, match: KeyMatch, table: Table, walk: Walk): void {
  if (value === null || value === undefined) {
    return;
  }
  if (match.visit) {
    const { element, type, invariants } = match;
    walk.visitor.value({ path, element, type, value, invariants, root: walk.root });
  }
  if (match.primitive || typeof value !== 'object') {
    return;
  }
  if ('resourceType' in value) {
    if (match.resource) {
      walkContained(value as Record<string, unknown>, path, walk);
    }
    return;
  }
  if (match.child === undefined) {
    match.child = childTable(match, table);
  }
  if (match.child) {
    const extensionUrl = match.type === 'Extension' ? String((value as { url?: string }).url ?? '') : undefined;
    walkObject(value as Record<string, unknown>, match.child, extensionUrl, path, walk);
  }
}

/** A contained resource, against its base type (the container stays `%rootResource`). */
function walkContained(value: Record<string, unknown>, path: string, walk: Walk): void {
  const type = value.resourceType;
  if (typeof type !== 'string' || !isResourceType(type)) {
    return; // Medplum reports it
  }
  walkResource(value, getDataType(type), walk.visitor, path, walk.root);
}

function childTable(match: KeyMatch, table: Table): Table | null {
  if (match.primitive) {
    return null;
  }
  const inner = table.root.innerTypes.find((t) => t.name === match.type);
  if (inner) {
    return {
      elements: inner.elements,
      owner: inner.elements,
      prefix: '',
      contextPath: inner.path,
      contextType: inner.name,
      onResource: false,
      root: table.root,
      keys: new Map(),
      extra: walkerElements(inner.elements),
      required: [],
    };
  }
  const dataType = tryGetDataType(match.type);
  if (!dataType) {
    return null;
  }
  const prefix = `${table.prefix}${match.name}.`;
  const required = Object.entries(table.extra)
    .filter(([k, e]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('.') && e.min > 0)
    .map(([k]) => k.slice(prefix.length));
  return {
    elements: dataType.elements,
    owner: table.owner,
    prefix,
    contextPath: match.element.path,
    contextType: match.type,
    onResource: false,
    root: table.root,
    keys: new Map(),
    extra: table.extra,
    required,
  };
}

/** Is a required child (`system`, or a choice `value[x]`) present in the object? */
function present(obj: Record<string, unknown>, name: string): boolean {
  if (!name.endsWith('[x]')) {
    return obj[name] !== undefined && obj[name] !== null;
  }
  const stem = name.slice(0, -3);
  return Object.keys(obj).some((k) => k.startsWith(stem) && k.length > stem.length && k.charCodeAt(stem.length) < 91);
}

function lookup(table: Table, name: string): InternalSchemaElement | undefined {
  if (!table.prefix) {
    return table.elements[name];
  }
  const key = table.prefix + name;
  return table.owner[key] ?? table.extra[key] ?? table.elements[name];
}

function findElement(table: Table, key: string): KeyMatch | undefined {
  const direct = lookup(table, key);
  if (direct) {
    return keyMatch(key, direct, direct.type[0]?.code ?? 'Element');
  }
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 65 || c > 90) {
      continue; // not an upper-case letter
    }
    const name = `${key.slice(0, i)}[x]`;
    const element = lookup(table, name);
    if (!element) {
      continue;
    }
    const suffix = key.slice(i);
    const type =
      element.type.find((t) => t.code === suffix || t.code === suffix[0].toLowerCase() + suffix.slice(1))?.code ??
      tryChoiceType(suffix);
    return keyMatch(name, element, type);
  }
  return undefined;
}

/** The type a choice suffix names when the element does not allow it (Medplum reports that). */
function tryChoiceType(suffix: string): string {
  if (tryGetDataType(suffix)) {
    return suffix;
  }
  return suffix[0].toLowerCase() + suffix.slice(1);
}

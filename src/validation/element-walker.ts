/**
 * Walks the elements actually present in a resource against a (profiled) type schema, giving
 * each value with its FHIRPath expression, its element definition (the profile's, where the
 * profile constrains a nested data-type path such as `code.coding`) and its resolved type.
 * Extensions are handed over separately with their context. Nested resources (contained,
 * Bundle entries) are not entered. Key resolution is cached per schema.
 */
import { isPrimitiveType, tryGetDataType, type InternalSchemaElement, type InternalTypeSchema } from '@medplum/core';
import { walkerElements } from './lean-schema.js';

/** One value met during the walk. */
export interface ElementVisit {
  /** FHIRPath expression of the value, e.g. `MedicationAdministration.dosage.route`. */
  path: string;
  element: InternalSchemaElement;
  /** The value's type code (a choice element resolved from its JSON key). */
  type: string;
  value: unknown;
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
}

/** Callbacks of a walk. */
export interface WalkVisitor {
  value(visit: ElementVisit): void;
  extension(visit: ExtensionVisit): void;
  /** A required child (moved out of Medplum's schema by lean-schema.ts) is absent: `path` is where it is missing. */
  missing?(path: string): void;
  /** The values of a sliced element (`path` is the element's, values are `path[i]`). */
  sliced?(element: InternalSchemaElement, type: string, values: readonly unknown[], path: string): void;
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
  /** Does the visitor need to see the value itself (bound, or a Reference)? */
  visit: boolean;
  primitive: boolean;
}

function keyMatch(name: string, element: InternalSchemaElement, type: string): KeyMatch {
  const strength = element.binding?.strength;
  const bound = !!element.binding?.valueSet && (strength === 'required' || strength === 'extensible');
  return { name, element, type, visit: bound || type === 'Reference', primitive: isPrimitiveType(type) };
}

const rootTables = new WeakMap<InternalTypeSchema, Table>();

/**
 * Walks a resource, or an extension against its definition.
 * @param value - the resource (or extension) JSON
 * @param schema - the (profiled) schema of its type
 * @param visitor - callbacks
 * @param path - FHIRPath expression of `value` (default: the schema's root path)
 */
export function walkResource(
  value: Record<string, unknown>,
  schema: InternalTypeSchema,
  visitor: WalkVisitor,
  path?: string
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
  walkObject(value, table, extensionUrl, path ?? schema.path, visitor);
}

function walkObject(
  obj: Record<string, unknown>,
  table: Table,
  extensionUrl: string | undefined,
  path: string,
  visitor: WalkVisitor
): void {
  for (const key of Object.keys(obj)) {
    if (key === 'resourceType' || key.charCodeAt(0) === 95 /* _ */) {
      continue;
    }
    const raw = obj[key];
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
          });
        }
      }
      continue;
    }
    let match = table.keys.get(key);
    if (match === undefined) {
      match = findElement(table, key) ?? null;
      table.keys.set(key, match);
    }
    if (!match) {
      continue; // unknown property: Medplum reports it
    }
    if (match.primitive && !match.visit) {
      continue; // nothing to check in it (an extension on a primitive sits in `_key`)
    }
    if (Array.isArray(raw)) {
      if (match.element.slicing) {
        visitor.sliced?.(match.element, match.type, raw, `${path}.${key}`);
      }
      for (let i = 0; i < raw.length; i++) {
        visitValue(raw[i], `${path}.${key}[${i}]`, match, table, visitor);
      }
    } else {
      visitValue(raw, `${path}.${key}`, match, table, visitor);
    }
  }
  for (const name of table.required) {
    if (!present(obj, name)) {
      visitor.missing?.(`${path}.${name}`);
    }
  }
}

function visitValue(value: unknown, path: string, match: KeyMatch, table: Table, visitor: WalkVisitor): void {
  if (value === null || value === undefined) {
    return;
  }
  if (match.visit) {
    visitor.value({ path, element: match.element, type: match.type, value });
  }
  if (match.primitive || typeof value !== 'object' || 'resourceType' in value) {
    return;
  }
  if (match.child === undefined) {
    match.child = childTable(match, table);
  }
  if (match.child) {
    const extensionUrl = match.type === 'Extension' ? String((value as { url?: string }).url ?? '') : undefined;
    walkObject(value as Record<string, unknown>, match.child, extensionUrl, path, visitor);
  }
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

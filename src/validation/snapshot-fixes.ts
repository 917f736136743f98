/**
 * Rewrites a few snapshot shapes that @medplum/core 5's profile parser misreads, into equivalent
 * shapes it reads correctly (the StructureDefinition given is not modified):
 *
 * - slices discriminated by a nested path (`component` by `code.coding.code` + `code.coding.system`,
 *   as in the R4 core vital-signs profiles) whose values are fixed inside a *nested* slice
 *   (`component:SystolicBP.code.coding:SBPCode.code`): Medplum takes the nested slice start for a
 *   new slice of the outer element and never matches the outer slices. The nested slices become
 *   a `patternCodeableConcept` on the slice's `code`, and the discriminator `pattern` on `code`.
 *   No KAP profile needs this any more: kap-blood-pressure states the core `bp` constraints with exactly
 *   that shape instead of deriving from `bp` (a Medplum *server* applies a profile's snapshot as published,
 *   without this rewrite, and refused every valid blood pressure). It stays for resources that declare the
 *   core `bp` profile itself (or one derived from it), which would otherwise always fail here too.
 * - extension slices whose snapshot lists no `url` child: Medplum matches the `url` discriminator
 *   on `<slice>.url`, so a `fixedUri` = the extension's profile URL is added.
 */
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

const cache = new WeakMap<StructureDefinition, StructureDefinition>();

/**
 * Returns a StructureDefinition whose snapshot Medplum's parser reads as the profile intends.
 * @param sd - a StructureDefinition with a snapshot
 * @returns the same object when nothing needs rewriting, else a rewritten copy
 */
export function completeSnapshot(sd: StructureDefinition): StructureDefinition {
  const hit = cache.get(sd);
  if (hit) {
    return hit;
  }
  let elements = (sd.snapshot?.element ?? []).map((e) => ({ ...e }));
  let changed = false;
  for (const sliced of elements.filter((e) => e.slicing && !e.sliceName)) {
    const result = flattenNestedDiscriminators(elements, sliced);
    if (result) {
      elements = result;
      changed = true;
    }
  }
  const withUrls = addExtensionSliceUrls(elements);
  if (withUrls) {
    elements = withUrls;
    changed = true;
  }
  const out = changed ? { ...sd, snapshot: { ...sd.snapshot, element: elements } } : sd;
  cache.set(sd, out);
  return out;
}

function fixedValue(e: ElementDefinition): unknown {
  for (const [k, v] of Object.entries(e)) {
    if (k.startsWith('fixed') || k.startsWith('pattern')) {
      return v;
    }
  }
  return undefined;
}

function hasFixedOrPattern(e: ElementDefinition | undefined): boolean {
  return !!e && fixedValue(e) !== undefined;
}

/** `component` sliced by `code.coding.code`/`code.coding.system`: see the file comment. */
function flattenNestedDiscriminators(
  elements: ElementDefinition[],
  sliced: ElementDefinition
): ElementDefinition[] | undefined {
  const discriminators = sliced.slicing?.discriminator ?? [];
  const paths = discriminators.map((d) => d.path ?? '');
  if (paths.length === 0 || !paths.every((p) => /^[a-zA-Z]+\.coding\.(code|system)$/.test(p))) {
    return undefined;
  }
  const first = paths[0].split('.')[0];
  if (!paths.every((p) => p.startsWith(first + '.'))) {
    return undefined;
  }
  const slices = elements.filter((e) => e.path === sliced.path && e.sliceName && e.id === `${sliced.id}:${e.sliceName}`);
  const drop = new Set<string>();
  for (const slice of slices) {
    const prefix = `${slice.id}.${first}`;
    const target = elements.find((e) => e.id === prefix);
    if (!target || target.type?.[0]?.code !== 'CodeableConcept') {
      return undefined;
    }
    if (hasFixedOrPattern(target)) {
      continue;
    }
    const coding: Record<string, unknown> = {};
    for (const e of elements) {
      if (!e.id?.startsWith(prefix + '.coding:')) {
        continue;
      }
      const leaf = e.path?.slice((sliced.path ?? '').length + first.length + 2); // coding.code
      const value = fixedValue(e);
      if ((leaf === 'coding.code' || leaf === 'coding.system') && typeof value === 'string') {
        coding[leaf.slice('coding.'.length)] = value;
      }
      drop.add(e.id);
    }
    if (!coding.code) {
      return undefined;
    }
    target.patternCodeableConcept = { coding: [coding] };
    const codingElement = elements.find((e) => e.id === `${prefix}.coding`);
    if (codingElement) {
      delete codingElement.slicing;
    }
  }
  sliced.slicing = { ...sliced.slicing, rules: sliced.slicing?.rules ?? 'open', discriminator: [{ type: 'pattern', path: first }] };
  return elements.filter((e) => !drop.has(e.id ?? ''));
}

/** Adds `<extension slice>.url` with `fixedUri` where the snapshot has none. */
function addExtensionSliceUrls(elements: ElementDefinition[]): ElementDefinition[] | undefined {
  const out: ElementDefinition[] = [];
  let changed = false;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    out.push(e);
    const isExtensionSlice =
      e.sliceName && /\.(extension|modifierExtension)$/.test(e.path ?? '') && e.type?.[0]?.code === 'Extension';
    const profile = e.type?.[0]?.profile?.[0];
    if (!isExtensionSlice || !profile) {
      continue;
    }
    const childPrefix = `${e.id}.`;
    const hasUrl = elements.some((c) => c.id === `${childPrefix}url`);
    if (hasUrl) {
      continue;
    }
    out.push({
      id: `${childPrefix}url`,
      path: `${e.path}.url`,
      min: 1,
      max: '1',
      base: { path: 'Extension.url', min: 1, max: '1' },
      type: [{ code: 'uri' }],
      fixedUri: profile.split('|')[0],
    });
    changed = true;
  }
  return changed ? out : undefined;
}

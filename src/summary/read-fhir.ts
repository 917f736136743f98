/**
 * Small readers of mapped FHIR resources for the session view (src/summary/read-session-view.ts): person names, local
 * ids, codings' displays, quantities as text, extensions. Each reads one element; none logs.
 */
import type { CodeableConcept, Extension, HumanName, Identifier, Quantity, Reference, Resource } from '@medplum/fhirtypes';
import type { BundleIndex } from '../bundle-index.js';
import { parseIdentifierValue } from '../identity/record-identity.js';
import { kapExtension, kapProfile } from '../terminology/systems.js';

/** A person's name as read: given names then family ("Riley Testperson"), else the text. */
export function personName(names: HumanName[] | undefined): string | undefined {
  const n = names?.[0];
  if (!n) {
    return undefined;
  }
  const parts = [...(n.given ?? []), ...(n.family ? [n.family] : [])];
  return parts.length > 0 ? parts.join(' ') : n.text;
}

/**
 * The name of the Practitioner (or Patient, RelatedPerson) a reference resolves to in the Bundle.
 * @param index - the Bundle index
 * @param ref - the reference
 */
export function nameAt(index: BundleIndex, ref: Reference | undefined): string | undefined {
  const r = index.resolve(ref)?.resource;
  if (r?.resourceType === 'Practitioner' || r?.resourceType === 'Patient' || r?.resourceType === 'RelatedPerson') {
    return personName(r.name);
  }
  return ref?.display;
}

/** The local id of a mapped resource: its first identifier's value without the episode scope. */
export function localIdOf(r: Resource): string | undefined {
  const raw = (r as { identifier?: Identifier | Identifier[] }).identifier;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.value;
  return value === undefined ? undefined : parseIdentifierValue(value).localId;
}

/** The display of a CodeableConcept: its first coding's display, else its text, else the first code. */
export function displayOf(cc: CodeableConcept | undefined): string | undefined {
  const coding = cc?.coding?.find((c) => c.display) ?? cc?.coding?.[0];
  return coding?.display ?? cc?.text ?? coding?.code;
}

/** True when the resource claims the KAP profile `id`. */
export function hasKapProfile(r: Resource, id: string): boolean {
  return !!r.meta?.profile?.includes(kapProfile(id));
}

/**
 * The extension of a KAP extension id among a list.
 * @param extensions - the element's extensions
 * @param id - the KAP extension id (e.g. `kap-lot-number`)
 */
export function kapExtensionOf(extensions: Extension[] | undefined, id: string): Extension | undefined {
  return extensions?.find((e) => e.url === kapExtension(id));
}

/** A quantity as text: "56 mg", "0.5 mg/kg" (UCUM code, else unit). */
export function quantityText(q: Quantity | undefined): string | undefined {
  if (q?.value === undefined) {
    return undefined;
  }
  const unit = q.code ?? q.unit;
  return unit ? `${q.value} ${unit}` : String(q.value);
}

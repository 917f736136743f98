/**
 * The product, dosage form and strength of a MedicationAdministration or MedicationRequest (inverse of
 * src/fhir/medication.ts): `medicationCodeableConcept` (esketamine, or an EHR's coded product), or
 * `medicationReference` to the contained Medication `#med` (racemic ketamine: RxNorm code, `kap-dose-form` form,
 * strength as the ingredient Ratio mg per 1 mL or per 1 unit), or to a Medication entry of the Bundle (an EHR's).
 * Form and strength are kept for racemic ketamine only (episode rule); anything else is reported.
 */
import type { CodeableConcept, Medication, Ratio, Reference, Resource } from '@medplum/fhirtypes';
import type { KapProduct } from '../../kap/dose.js';
import type { DoseForm, Strength } from '../../kap/dose-form.js';
import { DOSE_FORM_CODES } from '../../terminology/dosing-codes.js';
import { UNIT_MG } from '../../terminology/units.js';
import { UCUM } from '../../terminology/systems.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { keyForConcept } from './codings.js';
import { ignore, use, type UnmapContext } from './context.js';
import { valueIn } from './dose.js';
import { productOf } from './product-route.js';

/** The product elements of a MedicationAdministration or MedicationRequest. */
export interface ProductElements {
  contained?: Resource[];
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
}

/** What the way back recovers of a product. */
export interface ProductPart {
  /** The KAP product, undefined when the concept is not one (the caller reports it). */
  product?: KapProduct;
  form?: DoseForm;
  strength?: Strength;
}

/** The Medication a reference names: contained (`#id`) or an entry of the Bundle, with its path for reports. */
function referencedMedication(
  resource: ProductElements,
  ctx: UnmapContext
): { medication: Medication; path: string } | undefined {
  const reference = resource.medicationReference?.reference;
  if (typeof reference === 'string' && reference.startsWith('#')) {
    const contained = Array.isArray(resource.contained) ? resource.contained : [];
    const at = contained.findIndex((r) => r?.resourceType === 'Medication' && r.id === reference.slice(1));
    return at < 0 ? undefined : { medication: contained[at] as Medication, path: `contained[${at}]` };
  }
  const target = ctx.index.resolve(resource.medicationReference);
  if (target?.resource.resourceType !== 'Medication') {
    return undefined;
  }
  use(ctx, target);
  return { medication: target.resource as Medication, path: 'medicationReference' };
}

/** The strength of a Ratio: numerator mg, denominator 1 mL (`mL`) or 1 unit (UCUM `1`). */
function strengthOf(ratio: Ratio | undefined): Strength | undefined {
  const mg = valueIn(ratio?.numerator, UNIT_MG.code);
  const d = ratio?.denominator;
  if (mg === undefined || !(mg > 0) || d?.value !== 1 || (d.system !== undefined && d.system !== UCUM)) {
    return undefined;
  }
  if (d.code === 'mL') {
    return { mg, per: 'mL' };
  }
  return d.code === '1' ? { mg, per: 'unit' } : undefined;
}

/**
 * Reads the product, form and strength.
 * @param resource - the MedicationAdministration or MedicationRequest
 * @param entry - its entry (for reports)
 * @param ctx - the context
 * @returns the product (undefined when it is not a KAP product) with its form and strength when given
 */
export function fromProductElements(resource: ProductElements, entry: IndexedEntry, ctx: UnmapContext): ProductPart {
  if (resource.medicationCodeableConcept !== undefined || resource.medicationReference === undefined) {
    (Array.isArray(resource.contained) ? resource.contained : []).forEach((_r, i) =>
      ignore(ctx, entry, `contained[${i}]`, 'unsupported-element')
    );
    return { product: productOf(resource.medicationCodeableConcept) };
  }
  const found = referencedMedication(resource, ctx);
  if (!found) {
    return {};
  }
  const { medication, path } = found;
  const part: ProductPart = { product: productOf(medication.code) };
  const form = keyForConcept(medication.form, DOSE_FORM_CODES);
  if (form !== undefined) {
    part.form = form;
  } else if (medication.form !== undefined) {
    ignore(ctx, entry, `${path}.form`, 'unknown-code');
  }
  const ingredients = Array.isArray(medication.ingredient) ? medication.ingredient : [];
  ingredients.forEach((ing, i) => {
    const strength = i === 0 ? strengthOf(ing?.strength) : undefined;
    if (strength !== undefined) {
      part.strength = strength;
    } else {
      ignore(ctx, entry, `${path}.ingredient[${i}]`, i === 0 ? 'invalid-value' : 'unsupported-element');
    }
  });
  if (part.product !== 'ketamine' && (part.form !== undefined || part.strength !== undefined)) {
    // esketamine's form and strength are its RxNorm product's (episode rule)
    ignore(ctx, entry, path, 'unsupported-element');
    delete part.form;
    delete part.strength;
  }
  const contained = Array.isArray(resource.contained) ? resource.contained : [];
  contained.forEach((r, i) => {
    if (r !== medication) {
      ignore(ctx, entry, `contained[${i}]`, 'unsupported-element');
    }
  });
  return part;
}

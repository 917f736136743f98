/**
 * The product of a MedicationAdministration or MedicationRequest (docs/design/issue-13-contract.md): racemic ketamine
 * is a contained Medication `#med` (RxNorm ingredient code, `kap-dose-form` form, strength as an ingredient Ratio),
 * because compounded lozenges, oral solutions and sprays have no RxNorm clinical drug (clinical-codes.md §2);
 * esketamine keeps `medicationCodeableConcept` (its RxNorm product already says nasal spray, 28 mg per device).
 */
import type { CodeableConcept, Medication, Quantity, Ratio, Reference } from '@medplum/fhirtypes';
import type { KapProduct } from '../kap/dose.js';
import type { DoseForm, Strength } from '../kap/dose-form.js';
import { coding } from '../terminology/coding.js';
import { DOSE_FORM_CODES } from '../terminology/dosing-codes.js';
import { PRODUCT_CODES } from '../terminology/medications.js';
import { UNIT_MG } from '../terminology/units.js';
import { UCUM } from '../terminology/systems.js';
import { metaProfile, PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/** The id of the contained Medication (referenced as `#med`). */
export const CONTAINED_MEDICATION_ID = 'med';

/** What a product puts on a MedicationAdministration or MedicationRequest. */
export type MedicationElements =
  | { contained: Medication[]; medicationReference: Reference<Medication> }
  | { medicationCodeableConcept: CodeableConcept };

/**
 * The dosage form as a CodeableConcept (`kap-dose-form` coding, display as text).
 * @param form - the dosage form
 */
export function doseFormConcept(form: DoseForm): CodeableConcept {
  return { coding: [coding(DOSE_FORM_CODES[form])], text: DOSE_FORM_CODES[form].display };
}

/**
 * The strength as a Ratio: mg per 1 mL (UCUM mL), or mg per one unit (UCUM `1`, labelled with the form's display,
 * or "unit" when no form is given).
 * @param strength - the strength
 * @param form - the dosage form, when given
 */
export function strengthRatio(strength: Strength, form?: DoseForm): Ratio {
  const denominator: Quantity =
    strength.per === 'mL'
      ? { value: 1, unit: 'mL', system: UCUM, code: 'mL' }
      : { value: 1, unit: form !== undefined ? DOSE_FORM_CODES[form].display : 'unit', system: UCUM, code: '1' };
  return { numerator: ucumQuantity(strength.mg, UNIT_MG), denominator };
}

/**
 * The contained Medication of a product: id `med`, profile `kap-compounded-ketamine`, RxNorm code, form and strength
 * when given (code only otherwise).
 * @param product - the product (racemic ketamine in practice; see {@link medicationElements})
 * @param form - the dosage form
 * @param strength - the strength
 */
export function containedMedication(product: KapProduct, form?: DoseForm, strength?: Strength): Medication {
  return {
    resourceType: 'Medication',
    id: CONTAINED_MEDICATION_ID,
    meta: metaProfile(PROFILES.compoundedKetamine),
    code: { coding: [coding(PRODUCT_CODES[product])] },
    ...(form !== undefined ? { form: doseFormConcept(form) } : {}),
    ...(strength !== undefined
      ? {
          ingredient: [
            {
              itemCodeableConcept: { coding: [coding(PRODUCT_CODES[product])] },
              isActive: true,
              strength: strengthRatio(strength, form),
            },
          ],
        }
      : {}),
  };
}

/**
 * The product elements of a MedicationAdministration or MedicationRequest: racemic ketamine → `contained` +
 * `medicationReference: #med` (always, even without form or strength); esketamine → `medicationCodeableConcept`.
 * @param x - the product, form and strength of the dose or prescription
 */
export function medicationElements(x: { product: KapProduct; form?: DoseForm; strength?: Strength }): MedicationElements {
  if (x.product === 'ketamine') {
    return {
      contained: [containedMedication(x.product, x.form, x.strength)],
      medicationReference: { reference: `#${CONTAINED_MEDICATION_ID}` },
    };
  }
  return { medicationCodeableConcept: { coding: [coding(PRODUCT_CODES[x.product])] } };
}

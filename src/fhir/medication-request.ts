/**
 * A prescription → FHIR R4 MedicationRequest (`kap-ketamine-prescription`): status, intent `order`,
 * RxNorm product, requester = prescriber, authoredOn, dosageInstruction[0] (SNOMED route; mg in
 * doseQuantity or mg/kg in `kap-dose-per-body-weight`), dispenseRequest.validityPeriod and the number of
 * dosing sessions in `kap-session-count`.
 */
import type { Dosage, MedicationRequest } from '@medplum/fhirtypes';
import type { Prescription } from '../kap/prescription.js';
import { coding } from '../terminology/coding.js';
import { PRODUCT_CODES } from '../terminology/medications.js';
import { ROUTE_CODES } from '../terminology/routes.js';
import { UNIT_MG, UNIT_MG_PER_KG } from '../terminology/units.js';
import type { MapContext } from './context.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/**
 * The prescribed dosage: route and dose (mg as doseQuantity, mg/kg as the extension).
 * @param rx - the prescription
 */
export function prescribedDosage(rx: Prescription): Dosage {
  const route = { coding: [coding(ROUTE_CODES[rx.route])] };
  if (rx.dose.unit === 'mg/kg') {
    return {
      extension: [{ url: EXTENSIONS.dosePerBodyWeight, valueQuantity: ucumQuantity(rx.dose.value, UNIT_MG_PER_KG) }],
      route,
    };
  }
  return { route, doseAndRate: [{ doseQuantity: ucumQuantity(rx.dose.value, UNIT_MG) }] };
}

/**
 * Maps a prescription to a MedicationRequest.
 * @param rx - the prescription
 * @param ctx - the mapping context
 */
export function toMedicationRequest(rx: Prescription, ctx: MapContext): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    meta: metaProfile(PROFILES.prescription),
    extension: [{ url: EXTENSIONS.sessionCount, valuePositiveInt: rx.sessions }],
    identifier: [ctx.identifier('MedicationRequest', rx.id)],
    status: rx.status,
    intent: 'order',
    medicationCodeableConcept: { coding: [coding(PRODUCT_CODES[rx.product])] },
    subject: ctx.patient,
    authoredOn: rx.authoredOn,
    requester: ctx.ref('Practitioner', rx.prescriberId),
    dosageInstruction: [prescribedDosage(rx)],
    dispenseRequest: { validityPeriod: { ...rx.validity } },
  };
}

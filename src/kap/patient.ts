/**
 * The KAP patient (docs/kap-model.md `patient`): clinic record id, name, birth date, administrative
 * gender, contact and other identifiers (e.g. an EHR MRN). Maps to FHIR Patient.
 */
import { z } from 'zod';
import { isWellFormedText, LONE_SURROGATE_TEXT } from '../unicode.js';
import { humanNameSchema, kapDateSchema, kapIdSchema, kapTextSchema } from './primitives.js';

/** FHIR administrative gender (http://hl7.org/fhir/administrative-gender, required binding). */
export const ADMINISTRATIVE_GENDERS = ['male', 'female', 'other', 'unknown'] as const;

/**
 * Identifier type codes accepted on patient identifiers (HL7 v2 table 0203, the FHIR R4
 * `identifier-type` value set): MR medical record number, MB member number, PI patient internal id.
 */
export const PATIENT_IDENTIFIER_TYPES = ['MR', 'MB', 'PI'] as const;

/** The earliest birth date accepted (older dates are data-entry errors or placeholders such as 0001-01-01). */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * Another identifier of the patient (e.g. the EHR's MRN). Which systems a clinic may use is checked
 * at ingest against the service configuration (src/pipeline/identifier-systems.ts).
 */
export const patientIdentifierSchema = z.strictObject({
  system: kapTextSchema.min(1).regex(/^\S+$/),
  value: kapTextSchema.min(1),
  type: z.enum(PATIENT_IDENTIFIER_TYPES).optional(),
});
/** Another identifier of the patient. */
export type PatientIdentifier = z.infer<typeof patientIdentifierSchema>;

/** Patient contact details, each optional. */
export const patientContactSchema = z.strictObject({
  phone: kapTextSchema.min(1).optional(),
  email: z.email().refine(isWellFormedText, { message: LONE_SURROGATE_TEXT }).optional(),
});

/**
 * The patient of the episode. A birthDate before {@link EARLIEST_BIRTH_DATE} or in the future is
 * rejected by the episode rules.
 */
export const kapPatientSchema = z.strictObject({
  id: kapIdSchema,
  name: humanNameSchema,
  birthDate: kapDateSchema,
  gender: z.enum(ADMINISTRATIVE_GENDERS),
  contact: patientContactSchema.optional(),
  identifiers: z.array(patientIdentifierSchema).optional(),
});
/** The patient of the episode. */
export type KapPatient = z.infer<typeof kapPatientSchema>;

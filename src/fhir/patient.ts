/**
 * The KAP patient → FHIR R4 Patient (`kap-patient`): clinic identifier first, then the other identifiers
 * (with their HL7 v2-0203 type), name, telecom, gender, birthDate, managingOrganization = clinic.
 */
import type { ContactPoint, Identifier, Patient } from '@medplum/fhirtypes';
import { coding } from '../terminology/coding.js';
import { IDENTIFIER_TYPES } from '../terminology/local-codes.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/**
 * Maps the episode's patient to a Patient.
 * @param ctx - the mapping context
 */
export function toPatient(ctx: MapContext): Patient {
  const p = ctx.episode.patient;
  const identifier: Identifier[] = [ctx.identifier('Patient', p.id)];
  for (const other of p.identifiers ?? []) {
    identifier.push({
      ...(other.type !== undefined ? { type: { coding: [coding(IDENTIFIER_TYPES[other.type])] } } : {}),
      system: other.system,
      value: other.value,
    });
  }
  const telecom: ContactPoint[] = [];
  if (p.contact?.phone !== undefined) {
    telecom.push({ system: 'phone', value: p.contact.phone });
  }
  if (p.contact?.email !== undefined) {
    telecom.push({ system: 'email', value: p.contact.email });
  }
  return {
    resourceType: 'Patient',
    meta: metaProfile(PROFILES.patient),
    identifier,
    name: [{ family: p.name.family, given: [...p.name.given] }],
    ...(telecom.length > 0 ? { telecom } : {}),
    gender: p.gender,
    birthDate: p.birthDate,
    managingOrganization: ctx.organization,
  };
}

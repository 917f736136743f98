/**
 * FHIR Patient → the KAP patient (inverse of src/fhir/patient.ts): id = clinic identifier value (else the
 * server id), other identifiers with their v2-0203 type (MR / MB / PI), the first complete name, gender,
 * birthDate, the first phone and e-mail of telecom.
 */
import type { Patient } from '@medplum/fhirtypes';
import { patientContactSchema, PATIENT_IDENTIFIER_TYPES, type KapPatient, type PatientIdentifier } from '../../kap/patient.js';
import { V2_IDENTIFIER_TYPE } from '../../terminology/systems.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, ownIdentifier, type UnmapContext } from './context.js';
import { ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';

type IdentifierType = (typeof PATIENT_IDENTIFIER_TYPES)[number];

/** The patient as read: required fields may be missing (the episode schema then names them). */
export type PatientDraft = Partial<KapPatient>;

function otherIdentifiers(entry: IndexedEntry<Patient>, ctx: UnmapContext): PatientIdentifier[] {
  const own = ownIdentifier(entry.resource, ctx);
  const out: PatientIdentifier[] = [];
  (entry.resource.identifier ?? []).forEach((id, i) => {
    if (id === own) {
      return;
    }
    if (!id.system || !/^\S+$/.test(id.system) || !id.value) {
      ignore(ctx, entry, `identifier[${i}]`, 'missing-element');
      return;
    }
    const one: PatientIdentifier = { system: id.system, value: id.value };
    if (id.type) {
      const code = id.type.coding?.find(
        (c) => c.system === V2_IDENTIFIER_TYPE && PATIENT_IDENTIFIER_TYPES.includes(c.code as IdentifierType)
      )?.code as IdentifierType | undefined;
      if (code) {
        one.type = code;
      } else {
        ignore(ctx, entry, `identifier[${i}].type`, 'unknown-code');
      }
    }
    out.push(one);
  });
  return out;
}

function contact(entry: IndexedEntry<Patient>, ctx: UnmapContext): KapPatient['contact'] {
  const result: NonNullable<KapPatient['contact']> = {};
  (entry.resource.telecom ?? []).forEach((t, i) => {
    if (t.system === 'phone' && result.phone === undefined && t.value) {
      result.phone = t.value;
    } else if (
      t.system === 'email' &&
      result.email === undefined &&
      t.value &&
      patientContactSchema.shape.email.safeParse(t.value).success
    ) {
      result.email = t.value;
    } else {
      ignore(ctx, entry, `telecom[${i}]`, 'unsupported-element');
    }
  });
  return result.phone !== undefined || result.email !== undefined ? result : undefined;
}

/**
 * Reads the patient.
 * @param entry - the Patient entry
 * @param ctx - the context
 */
export function fromPatient(entry: IndexedEntry<Patient>, ctx: UnmapContext): PatientDraft {
  const p = entry.resource;
  const draft: PatientDraft = {};
  const id = kapIdOf(entry, ctx);
  if (id !== undefined) {
    draft.id = id;
  }
  const names = p.name ?? [];
  let nameIndex = names.findIndex((n) => n.use === 'official' && n.family && (n.given ?? []).length > 0);
  if (nameIndex < 0) {
    nameIndex = names.findIndex((n) => n.family && (n.given ?? []).length > 0);
  }
  names.forEach((n, i) => {
    if (i === nameIndex) {
      draft.name = { given: [...(n.given ?? [])], family: n.family ?? '' };
    } else {
      ignore(ctx, entry, `name[${i}]`, 'unsupported-element');
    }
  });
  if (p.birthDate !== undefined) {
    draft.birthDate = p.birthDate;
  }
  if (p.gender !== undefined) {
    draft.gender = p.gender;
  }
  const c = contact(entry, ctx);
  if (c) {
    draft.contact = c;
  }
  const identifiers = otherIdentifiers(entry, ctx);
  if (identifiers.length > 0) {
    draft.identifiers = identifiers;
  }
  ignoreUnknownExtensions(ctx, entry, p.extension, '', []);
  ignoreUnreadElements(ctx, entry, ['name', 'birthDate', 'gender', 'telecom', 'managingOrganization', 'active']);
  return draft;
}

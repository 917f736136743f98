/**
 * Profiles FHIR R4 applies by content, whatever `meta.profile` says: the core vital-signs profiles
 * (vitalsigns.html: "If implementations use this code, they SHALL conform to the profile") for an
 * Observation with a vital-sign LOINC code. The codes and their order are the HL7 Java reference
 * validator's (BasePolicyAdvisorForFullValidation.getImpliedProfilesForObservation): the first group
 * that any `code.coding` (system http://loinc.org) matches selects one profile, each of which derives
 * from `vitalsigns`. The StructureDefinitions themselves (profiles-others.json) are read only when one
 * is first needed (base-conformance.ts `getCoreProfile`).
 */
import type { Observation, Resource } from '@medplum/fhirtypes';

const LOINC = 'http://loinc.org';
const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';

/** [profile id, LOINC codes], in the reference validator's order (first match wins). */
const VITAL_SIGN_CODES: readonly (readonly [string, readonly string[]])[] = [
  ['vitalspanel', ['85353-1']],
  ['resprate', ['9279-1', '76170-0', '76172-6', '76171-8', '19840-8', '33438-3', '76270-8', '11291-2']],
  [
    'heartrate',
    ['60978-4', '73795-7', '73799-9', '76476-1', '76477-9', '8867-4', '8889-8', '8890-6', '8891-4', '8892-2', '8893-0', '40443-4', '55425-3', '68999-2', '11328-2', '69000-8', '8886-4'],
  ],
  ['oxygensat', ['2708-6', '19224-5', '20564-1', '2709-4', '2710-2', '2713-6', '51733-4', '59408-5', '59417-6', '89276-0', '97549-0']],
  [
    'bodytemp',
    ['8310-5', '60834-9', '60835-6', '60836-4', '60838-0', '60955-2', '61009-7', '75539-7', '75987-8', '76010-8', '76011-6', '76278-1', '8309-7', '8328-7', '8329-5', '8330-3', '8331-1', '8332-9', '8333-7', '8334-5', '91371-5', '98657-0', '98663-8'],
  ],
  ['bodyheight', ['8302-2', '3137-7', '3138-5', '8306-3', '8308-9']],
  ['headcircum', ['9843-4', '8287-5']],
  ['bodyweight', ['29463-7', '3141-9', '3142-7', '75292-3', '79348-9', '8350-1', '8351-9']],
  ['bmi', ['39156-5', '59574-4', '89270-3']],
  ['bp', ['85354-9', '35094-2', '8459-0', '76534-7', '55284-4', '8480-6']],
];

/** The canonical URLs of the R4 vital-signs profiles this module can imply. */
export const VITAL_SIGN_PROFILES: readonly string[] = VITAL_SIGN_CODES.map(([id]) => HL7_SD + id);

/**
 * The vital-signs profile an Observation's code implies.
 * @param observation - the Observation
 * @returns the profile's canonical URL, or undefined when no coding is a vital-sign LOINC code
 */
export function vitalSignProfile(observation: Observation): string | undefined {
  const codings = Array.isArray(observation.code?.coding) ? observation.code.coding : [];
  const loinc = codings.filter((c) => c && c.system === LOINC && typeof c.code === 'string').map((c) => c.code as string);
  if (loinc.length === 0) {
    return undefined;
  }
  for (const [id, codes] of VITAL_SIGN_CODES) {
    if (loinc.some((code) => codes.includes(code))) {
      return HL7_SD + id;
    }
  }
  return undefined;
}

/**
 * @param resource - the resource
 * @returns canonical URLs of the profiles it must meet
 */
export function impliedProfiles(resource: Resource): string[] {
  if (resource.resourceType !== 'Observation') {
    return [];
  }
  const url = vitalSignProfile(resource);
  return url ? [url] : [];
}

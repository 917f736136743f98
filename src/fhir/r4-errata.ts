/**
 * Corrections to invariants the R4 (4.0.1) definitions publish wrongly, applied before the definitions are
 * indexed, as the HL7 reference validator and other FHIR tools apply them. Each names where it is corrected.
 */
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';

/** One corrected invariant: the element it is declared on, its key, the published and the corrected expression. */
interface Correction {
  type: string;
  path: string;
  key: string;
  published: string;
  corrected: string;
}

export const R4_ERRATA: readonly Correction[] = [
  {
    // que-12 reads "if there are more than one enableWhen, enableBehavior must be specified" but counts from three;
    // R4B (4.3.0) and R5 count from two, and so does the HL7 validator on R4.
    type: 'Questionnaire',
    path: 'Questionnaire.item',
    key: 'que-12',
    published: 'enableWhen.count() > 2 implies enableBehavior.exists()',
    corrected: 'enableWhen.count() > 1 implies enableBehavior.exists()',
  },
];

/**
 * Applies the corrections to a Bundle of R4 StructureDefinitions, in place.
 * @param bundle - profiles-resources.json or profiles-types.json
 * @returns how many invariants were corrected
 */
export function correctR4Errata(bundle: Bundle): number {
  let count = 0;
  for (const entry of bundle.entry ?? []) {
    const sd = entry.resource as StructureDefinition | undefined;
    for (const fix of R4_ERRATA) {
      if (sd?.resourceType !== 'StructureDefinition' || sd.type !== fix.type || sd.derivation === 'constraint') {
        continue;
      }
      for (const element of [...(sd.snapshot?.element ?? []), ...(sd.differential?.element ?? [])]) {
        for (const c of element.path === fix.path ? (element.constraint ?? []) : []) {
          if (c.key === fix.key && c.expression === fix.published) {
            c.expression = fix.corrected;
            count += 1;
          }
        }
      }
    }
  }
  return count;
}

/**
 * The KAP product and route of a FHIR medication concept and route concept (inverse of
 * src/terminology/medications.ts and routes.ts). Esketamine is recognised by both RxNorm forms (SCDF
 * 2201623 and Spravato SBDF 2201625), racemic ketamine by the ingredient 6130.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { KapProduct, KapRoute } from '../../kap/dose.js';
import { PRODUCT_CODES, RXNORM_SPRAVATO } from '../../terminology/medications.js';
import { ROUTE_CODES } from '../../terminology/routes.js';
import { keyForConcept } from './codings.js';

/** The KAP product of a medication concept, if it is one. */
export function productOf(concept: CodeableConcept | undefined): KapProduct | undefined {
  return (
    keyForConcept(concept, PRODUCT_CODES) ??
    keyForConcept(concept, { esketamine: RXNORM_SPRAVATO } as Record<KapProduct, typeof RXNORM_SPRAVATO>)
  );
}

/** The KAP route of a route concept, if it is one. */
export function routeOf(concept: CodeableConcept | undefined): KapRoute | undefined {
  return keyForConcept(concept, ROUTE_CODES);
}

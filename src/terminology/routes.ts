/**
 * Routes of administration (SNOMED CT, clinical-codes.md §3; FHIR route-codes value set).
 */
import type { KapCoding } from './coding.js';
import { SNOMED } from './systems.js';

/** The SNOMED CT route code of each KAP route. A lozenge is sublingual or buccal, never oral unless swallowed. */
export const ROUTE_CODES: Readonly<
  Record<'iv' | 'im' | 'intranasal' | 'oral' | 'sublingual' | 'buccal', KapCoding>
> = {
  iv: { system: SNOMED, code: '47625008', display: 'Intravenous route' },
  im: { system: SNOMED, code: '78421000', display: 'Intramuscular route' },
  intranasal: { system: SNOMED, code: '46713006', display: 'Nasal route' },
  oral: { system: SNOMED, code: '26643006', display: 'Oral route' },
  sublingual: { system: SNOMED, code: '37839007', display: 'Sublingual route' },
  buccal: { system: SNOMED, code: '54471007', display: 'Buccal route' },
};

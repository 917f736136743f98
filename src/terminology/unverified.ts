/**
 * Codes marked ✘ unverified in ../shared/reference/clinical-codes.md. Kept here, in one place, each with
 * what to check; re-check every one before release.
 */
import type { KapCoding } from './coding.js';
import { HCPCS, RXNORM } from './systems.js';

// UNVERIFIED: RxNorm 6130 "ketamine" (TTY IN) — no source found (clinical-codes.md §2); confirm the CUI and
// display in RxNav (https://rxnav.nlm.nih.gov, /REST/rxcui/6130/properties) before release.
/** RxNorm ingredient ketamine (racemic). */
export const RXNORM_KETAMINE: KapCoding = { system: RXNORM, code: '6130', display: 'ketamine' };

// UNVERIFIED: HCPCS J0013 "Esketamine, nasal spray, 1 mg" replaces S0013, which CMS terminated on 2026-01-01 (2026
// HCPCS Level II annual update; seen only in payer policies and billing guides, not in the CMS file): check the
// current CMS HCPCS quarterly file for the code and its short descriptor. Billing only: not used by the mapping.
/** HCPCS esketamine drug supply per 1 mg, from 2026-01-01 (billing only, not emitted). */
export const HCPCS_ESKETAMINE_1MG: KapCoding = { system: HCPCS, code: 'J0013', display: 'Esketamine, nasal spray, 1 mg' };

// UNVERIFIED: HCPCS S0013 — terminated 2026-01-01 (replaced by J0013); kept only to read claims dated before 2026.
/** HCPCS S0013, esketamine nasal spray 1 mg: valid for dates of service up to 2025-12-31 only (not emitted). */
export const HCPCS_ESKETAMINE_1MG_BEFORE_2026: KapCoding = {
  system: HCPCS,
  code: 'S0013',
  display: 'Esketamine, nasal spray, 1 mg',
};

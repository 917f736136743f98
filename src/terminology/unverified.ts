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

// UNVERIFIED: HCPCS S0013 esketamine nasal spray 1 mg (or J0013 from 2026?) — one coding site only
// (clinical-codes.md §7); check the current CMS HCPCS quarterly file. Billing only: not used by the mapping.
/** HCPCS esketamine drug supply per 1 mg (billing only, not emitted). */
export const HCPCS_ESKETAMINE_1MG: KapCoding = { system: HCPCS, code: 'S0013', display: 'Esketamine, nasal spray, 1 mg' };

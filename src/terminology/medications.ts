/**
 * Medication codes (RxNorm, clinical-codes.md §2). Racemic ketamine uses the ingredient code 6130,
 * which is ✘ unverified and therefore lives in unverified.ts.
 */
import type { KapCoding } from './coding.js';
import { RXNORM } from './systems.js';
import { RXNORM_KETAMINE } from './unverified.js';

/** esketamine Nasal Spray (RxNorm TTY SCDF, clinical drug form) — ✔ mirror: ndclist. */
export const RXNORM_ESKETAMINE_NASAL_SPRAY: KapCoding = { system: RXNORM, code: '2201623', display: 'esketamine Nasal Spray' };

/** esketamine Nasal Spray [Spravato] (RxNorm TTY SBDF, branded drug form) — ✔ mirror: ndclist. */
export const RXNORM_SPRAVATO: KapCoding = { system: RXNORM, code: '2201625', display: 'esketamine Nasal Spray [Spravato]' };

export { RXNORM_KETAMINE };

/** The RxNorm code of each KAP product (`ketamine` = racemic ingredient; `esketamine` = the SCDF). */
export const PRODUCT_CODES: Readonly<Record<'ketamine' | 'esketamine', KapCoding>> = {
  ketamine: RXNORM_KETAMINE,
  esketamine: RXNORM_ESKETAMINE_NASAL_SPRAY,
};

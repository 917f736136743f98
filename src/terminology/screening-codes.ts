/**
 * Codes of contraindication and precaution screening (docs/design/issue-13-contract.md): the items (LOCAL
 * `kap-screening`: no one standard code set covers them as screening questions) and THO data-absent-reason
 * `asked-unknown` for an item answered "unknown".
 */
import type { ScreeningItem } from '../kap/screening.js';
import type { KapCoding } from './coding.js';
import { DATA_ABSENT_REASON, KAP_SCREENING } from './systems.js';

/** `kap-screening`: one code per item, plus `none-known`. */
export const SCREENING_CODES: Readonly<Record<ScreeningItem | 'none-known', KapCoding>> = {
  pregnancy: { system: KAP_SCREENING, code: 'pregnancy', display: 'Pregnancy' },
  'psychosis-or-mania-history': { system: KAP_SCREENING, code: 'psychosis-or-mania-history', display: 'History of psychosis or mania' },
  'substance-use-disorder': { system: KAP_SCREENING, code: 'substance-use-disorder', display: 'Substance use disorder' },
  'aneurysmal-vascular-disease-or-avm': {
    system: KAP_SCREENING,
    code: 'aneurysmal-vascular-disease-or-avm',
    display: 'Aneurysmal vascular disease or arteriovenous malformation',
  },
  'intracerebral-hemorrhage-history': {
    system: KAP_SCREENING,
    code: 'intracerebral-hemorrhage-history',
    display: 'History of intracerebral haemorrhage',
  },
  'uncontrolled-hypertension': { system: KAP_SCREENING, code: 'uncontrolled-hypertension', display: 'Uncontrolled hypertension' },
  'ketamine-hypersensitivity': {
    system: KAP_SCREENING,
    code: 'ketamine-hypersensitivity',
    display: 'Hypersensitivity to ketamine or esketamine',
  },
  'none-known': { system: KAP_SCREENING, code: 'none-known', display: 'No contraindication or precaution known' },
};

/** THO data-absent-reason `asked-unknown` (display as published in the FHIR R4 code system). */
export const DATA_ABSENT_ASKED_UNKNOWN: KapCoding = { system: DATA_ABSENT_REASON, code: 'asked-unknown', display: 'Asked But Unknown' };

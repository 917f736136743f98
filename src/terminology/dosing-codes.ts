/**
 * Codes of a dosing session's new elements (docs/design/issue-13-contract.md): why a dose was held, stopped or
 * refused, the dosage form of racemic ketamine, the next-dose plan and the transport home (all LOCAL: no standard
 * code found), and who did what in a self-administered dose (THO med-admin-perform-function).
 */
import type { DischargeTransport } from '../kap/discharge.js';
import type { DoseForm } from '../kap/dose-form.js';
import type { DoseStatusReason } from '../kap/dosing-session.js';
import type { PlanRecommendation } from '../kap/dosing-plan.js';
import type { KapCoding } from './coding.js';
import {
  KAP_DISCHARGE_TRANSPORT,
  KAP_DOSE_FORM,
  KAP_DOSE_STATUS_REASON,
  KAP_DOSING_PLAN,
  MED_ADMIN_PERFORM_FUNCTION,
} from './systems.js';

const reason = (code: DoseStatusReason, display: string): KapCoding => ({ system: KAP_DOSE_STATUS_REASON, code, display });

/** `kap-dose-status-reason` (MedicationAdministration.statusReason); displays are the code in sentence case. */
export const DOSE_STATUS_REASON_CODES: Readonly<Record<DoseStatusReason, KapCoding>> = {
  'blood-pressure-high': reason('blood-pressure-high', 'Blood pressure high'),
  'vital-signs-abnormal': reason('vital-signs-abnormal', 'Vital signs abnormal'),
  'acute-illness': reason('acute-illness', 'Acute illness'),
  intoxication: reason('intoxication', 'Intoxication'),
  pregnancy: reason('pregnancy', 'Pregnancy'),
  'adverse-reaction': reason('adverse-reaction', 'Adverse reaction'),
  'patient-refused': reason('patient-refused', 'Patient refused'),
  'clinician-decision': reason('clinician-decision', 'Clinician decision'),
  other: reason('other', 'Other'),
};

/** `kap-dose-form` (the contained Medication's form; compounded forms have no RxNorm drug, clinical-codes.md §2). */
export const DOSE_FORM_CODES: Readonly<Record<DoseForm, KapCoding>> = {
  'injection-solution': { system: KAP_DOSE_FORM, code: 'injection-solution', display: 'Solution for injection' },
  lozenge: { system: KAP_DOSE_FORM, code: 'lozenge', display: 'Lozenge (troche)' },
  'sublingual-tablet': { system: KAP_DOSE_FORM, code: 'sublingual-tablet', display: 'Sublingual tablet' },
  'oral-solution': { system: KAP_DOSE_FORM, code: 'oral-solution', display: 'Oral solution' },
  capsule: { system: KAP_DOSE_FORM, code: 'capsule', display: 'Capsule' },
  'nasal-spray': { system: KAP_DOSE_FORM, code: 'nasal-spray', display: 'Nasal spray' },
};

/** `kap-dosing-plan` (the plan Observation's value). */
export const DOSING_PLAN_CODES: Readonly<Record<PlanRecommendation, KapCoding>> = {
  continue: { system: KAP_DOSING_PLAN, code: 'continue', display: 'Continue the current dose' },
  increase: { system: KAP_DOSING_PLAN, code: 'increase', display: 'Increase the dose' },
  decrease: { system: KAP_DOSING_PLAN, code: 'decrease', display: 'Decrease the dose' },
  hold: { system: KAP_DOSING_PLAN, code: 'hold', display: 'Hold the next dose' },
  stop: { system: KAP_DOSING_PLAN, code: 'stop', display: 'Stop treatment' },
  reassess: { system: KAP_DOSING_PLAN, code: 'reassess', display: 'Reassess before the next dose' },
};

/** `kap-discharge-transport` (the discharge-readiness Observation's component). */
export const DISCHARGE_TRANSPORT_CODES: Readonly<Record<DischargeTransport, KapCoding>> = {
  'responsible-adult': { system: KAP_DISCHARGE_TRANSPORT, code: 'responsible-adult', display: 'Escorted by a responsible adult' },
  'taxi-or-rideshare': { system: KAP_DISCHARGE_TRANSPORT, code: 'taxi-or-rideshare', display: 'Taxi or rideshare' },
  'public-transport': { system: KAP_DISCHARGE_TRANSPORT, code: 'public-transport', display: 'Public transport' },
  walked: { system: KAP_DISCHARGE_TRANSPORT, code: 'walked', display: 'Walked' },
  'drove-self': { system: KAP_DISCHARGE_TRANSPORT, code: 'drove-self', display: 'Drove self' },
  other: { system: KAP_DISCHARGE_TRANSPORT, code: 'other', display: 'Other' },
};

/** MedicationAdministration.performer.function (THO med-admin-perform-function; displays as published there). */
export const PERFORM_FUNCTION_CODES: Readonly<Record<'performer' | 'witness', KapCoding>> = {
  performer: { system: MED_ADMIN_PERFORM_FUNCTION, code: 'performer', display: 'Performer' },
  witness: { system: MED_ADMIN_PERFORM_FUNCTION, code: 'witness', display: 'Witness' },
};

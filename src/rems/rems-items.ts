/**
 * The fields of the Spravato REMS Patient Monitoring Form record, as kap-fhir models them (docs/summary.md "REMS monitoring record"). The licensed
 * form is not reproduced: item texts are our own wording. `origin` says where each field comes from — `form`: a field
 * the public REMS materials describe the form as asking for (the medication classes, sedation, dissociation,
 * respiratory depression, blood pressure, the dose, the monitoring time; field names unverified against the current
 * form); `kap`: our reading, added so a REMS coordinator has what the form needs to be filled in (times, lot, oximetry
 * value, scores). This table is the only copy: the Questionnaire (rems-questionnaire.ts), the response
 * (rems-response.ts) and the PDF (rems-pdf.ts) are made from it.
 */

/** Where a field comes from (see the module comment). */
export type RemsFieldOrigin = 'form' | 'kap';

/** R4 Questionnaire item types used by the record. */
export type RemsItemType = 'group' | 'string' | 'date' | 'dateTime' | 'integer' | 'decimal' | 'boolean';

/** One field (or section) of the record. */
export interface RemsItem {
  linkId: string;
  /** Our own wording (never the licensed form's text); plain ASCII so standard PDF fonts render it. */
  text: string;
  type: RemsItemType;
  /** A required field missing makes the record incomplete (and fires `rems-form-incomplete`). */
  required: boolean;
  origin: RemsFieldOrigin;
  /** Allowed integer answers (the esketamine doses). */
  integerOptions?: readonly number[];
  /** More than one answer (the adverse events). */
  repeats?: boolean;
  /** The fields of a section. */
  items?: readonly RemsItem[];
}

/** A section of the record: a required group the form asks for. */
function section(linkId: string, text: string, items: readonly RemsItem[]): RemsItem {
  return { linkId, text, type: 'group', required: true, origin: 'form', items };
}

function bpGroup(linkId: string, text: string): RemsItem {
  return section(linkId, text, [
    { linkId: `${linkId}-systolic`, text: 'Systolic (mmHg)', type: 'integer', required: true, origin: 'form' },
    { linkId: `${linkId}-diastolic`, text: 'Diastolic (mmHg)', type: 'integer', required: true, origin: 'form' },
    { linkId: `${linkId}-time`, text: 'Time of the reading', type: 'dateTime', required: true, origin: 'kap' },
  ]);
}

/** The esketamine doses the record accepts (mg; Spravato label: 28 mg per device). */
export const REMS_DOSES_MG: readonly number[] = [28, 56, 84];

/** The sections and fields of the record, in form order. */
export const REMS_ITEMS: readonly RemsItem[] = [
  section('session', 'Patient and treatment session', [
    { linkId: 'patient-name', text: 'Patient name', type: 'string', required: true, origin: 'form' },
    { linkId: 'patient-birth-date', text: 'Patient date of birth', type: 'date', required: true, origin: 'form' },
    { linkId: 'healthcare-setting', text: 'Healthcare setting', type: 'string', required: true, origin: 'form' },
    { linkId: 'session-date', text: 'Date of the treatment session', type: 'date', required: true, origin: 'form' },
  ]),
  section('dose', 'Dose', [
    { linkId: 'dose-mg', text: 'Dose given (mg)', type: 'integer', required: true, origin: 'form', integerOptions: REMS_DOSES_MG },
    { linkId: 'device-count', text: 'Nasal spray devices used', type: 'integer', required: false, origin: 'kap' },
    { linkId: 'lot-number', text: 'Lot number', type: 'string', required: true, origin: 'kap' },
    { linkId: 'dose-start', text: 'Time of the dose (start)', type: 'dateTime', required: true, origin: 'kap' },
  ]),
  section('concomitant-medications', 'Medications the patient takes at the time of the session', [
    { linkId: 'med-benzodiazepine', text: 'Benzodiazepine', type: 'boolean', required: true, origin: 'form' },
    {
      linkId: 'med-non-benzodiazepine-sedative-hypnotic',
      text: 'Non-benzodiazepine sedative hypnotic',
      type: 'boolean',
      required: true,
      origin: 'form',
    },
    { linkId: 'med-psychostimulant', text: 'Psychostimulant', type: 'boolean', required: true, origin: 'form' },
    { linkId: 'med-maoi', text: 'Monoamine oxidase inhibitor (MAOI)', type: 'boolean', required: true, origin: 'form' },
  ]),
  bpGroup('bp-pre-dose', 'Blood pressure before the dose'),
  bpGroup('bp-post-40', 'Blood pressure about 40 minutes after the dose'),
  bpGroup('bp-pre-discharge', 'Blood pressure before discharge'),
  section('sedation', 'Sedation', [
    { linkId: 'sedation-observed', text: 'Sedation observed', type: 'boolean', required: true, origin: 'form' },
    { linkId: 'moaas-lowest', text: 'Lowest MOAA/S score after the dose', type: 'integer', required: false, origin: 'kap' },
  ]),
  section('dissociation', 'Dissociation', [
    { linkId: 'dissociation-observed', text: 'Dissociation observed', type: 'boolean', required: true, origin: 'form' },
    { linkId: 'cadss6-total', text: 'CADSS-6 total score', type: 'integer', required: false, origin: 'kap' },
  ]),
  section('respiration', 'Breathing and oxygen saturation', [
    { linkId: 'respiratory-depression', text: 'Respiratory depression observed', type: 'boolean', required: true, origin: 'form' },
    { linkId: 'spo2-lowest', text: 'Lowest pulse oximetry reading from the dose on (%)', type: 'decimal', required: true, origin: 'kap' },
  ]),
  section('monitoring', 'Monitoring and discharge', [
    { linkId: 'monitoring-minutes', text: 'Total monitoring time, dose start to discharge (minutes)', type: 'integer', required: true, origin: 'form' },
    { linkId: 'ready-to-leave', text: 'Time the patient was ready to leave', type: 'dateTime', required: true, origin: 'form' },
    { linkId: 'discharge-time', text: 'Time of discharge', type: 'dateTime', required: true, origin: 'kap' },
  ]),
  section('adverse-events', 'Adverse events', [
    { linkId: 'adverse-events-observed', text: 'Adverse event during the session', type: 'boolean', required: true, origin: 'form' },
    { linkId: 'adverse-event', text: 'Adverse event (severity)', type: 'string', required: false, origin: 'kap', repeats: true },
  ]),
];

/**
 * Every item of the record, depth first.
 * @param items - a level of the table (default: the whole record)
 */
export function allRemsItems(items: readonly RemsItem[] = REMS_ITEMS): RemsItem[] {
  return items.flatMap((i) => [i, ...allRemsItems(i.items ?? [])]);
}

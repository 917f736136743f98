/**
 * A small synthetic KAP episode (fictional people, fictional ids) exercising every session kind, every
 * vital-sign kind, both dose units, side effects, a dissociation score and questionnaires (complete,
 * incomplete, array form). Returns a fresh copy each call so tests can mutate it.
 */
import type { KapEpisodeInput } from '../../kap/episode.js';

/** The fixture episode as a clinic would send it. */
export function fixtureEpisode(): KapEpisodeInput {
  return {
    id: 'ep-1001',
    version: 3,
    updatedAt: '2026-03-20T17:00:00-05:00',
    status: 'active',
    period: { start: '2026-03-02T09:00:00-05:00' },
    clinic: { id: 'sunrise-kap', name: 'Sunrise KAP Clinic', npi: '1234567893' },
    patient: {
      id: 'pt-0042',
      name: { given: ['Avery'], family: 'Testperson' },
      birthDate: '1984-07-19',
      gender: 'female',
      contact: { phone: '+1-555-0100', email: 'avery@example.org' },
      identifiers: [{ system: 'urn:oid:2.16.840.1.113883.3.7418.1', value: 'MRN-55501', type: 'MR' }],
    },
    indications: [
      { id: 'dx-1', code: 'F33.2', treatmentResistant: true, onsetDate: '2019-01-01' },
      { id: 'dx-2', code: 'F41.1', treatmentResistant: false },
    ],
    careTeam: [
      { id: 'pr-therapist-1', name: { given: ['Jordan'], family: 'Examplar' }, roles: ['therapist'] },
      {
        id: 'pr-md-1',
        name: { given: ['Casey'], family: 'Sampleton' },
        roles: ['prescriber'],
        npi: '1245319599',
        external: true,
      },
      { id: 'pr-nurse-1', name: { given: ['Riley'], family: 'Fictive' }, roles: ['administering-clinician', 'sitter'] },
    ],
    prescriptions: [
      {
        id: 'rx-1',
        prescriberId: 'pr-md-1',
        status: 'active',
        authoredOn: '2026-02-25T10:00:00-05:00',
        product: 'ketamine',
        route: 'iv',
        dose: { unit: 'mg/kg', value: 0.5 },
        sessions: 6,
        validity: { start: '2026-02-25', end: '2026-05-25' },
      },
      {
        id: 'rx-2',
        prescriberId: 'pr-md-1',
        status: 'on-hold',
        authoredOn: '2026-03-01T10:00:00-05:00',
        product: 'esketamine',
        route: 'intranasal',
        dose: { unit: 'mg', value: 56 },
        sessions: 2,
        validity: { start: '2026-03-01' },
      },
    ],
    sessions: [
      {
        id: 's-01',
        kind: 'assessment',
        start: '2026-03-02T09:00:00-05:00',
        end: '2026-03-02T10:00:00-05:00',
        practitionerIds: ['pr-therapist-1'],
      },
      {
        id: 's-02',
        kind: 'preparation',
        start: '2026-03-04T09:00:00-05:00',
        end: '2026-03-04T09:50:00-05:00',
        practitionerIds: ['pr-therapist-1'],
      },
      {
        id: 's-03',
        kind: 'dosing',
        start: '2026-03-06T09:00:00-05:00',
        end: '2026-03-06T11:30:00-05:00',
        practitionerIds: ['pr-therapist-1'],
        prescriptionId: 'rx-1',
        product: 'ketamine',
        route: 'iv',
        dose: { unit: 'mg/kg', value: 0.5, bodyWeightKg: 82.4 },
        doseStart: '2026-03-06T09:15:00-05:00',
        doseEnd: '2026-03-06T09:55:00-05:00',
        lotNumber: 'KX2291',
        administeredBy: 'pr-nurse-1',
        monitoredBy: ['pr-therapist-1', 'pr-nurse-1'],
        vitals: [
          { id: 'v-1', time: '2026-03-06T09:05:00-05:00', phase: 'pre-dose', kind: 'blood-pressure', systolic: 128, diastolic: 82 },
          { id: 'v-2', time: '2026-03-06T09:30:00-05:00', phase: 'during-dose', kind: 'heart-rate', value: 88 },
          { id: 'v-3', time: '2026-03-06T09:30:00-05:00', phase: 'during-dose', kind: 'oxygen-saturation', value: 97 },
          { id: 'v-4', time: '2026-03-06T10:30:00-05:00', phase: 'post-dose', kind: 'respiratory-rate', value: 14 },
        ],
        dissociation: { instrument: 'cadss6', score: 9, time: '2026-03-06T09:45:00-05:00' },
        sideEffects: [
          { id: 'ae-1', effect: 'nausea', severity: 'mild', onset: '2026-03-06T09:40:00-05:00' },
          { id: 'ae-2', effect: 'dissociation', severity: 'moderate' },
        ],
        dischargedAt: '2026-03-06T11:30:00-05:00',
      },
      {
        id: 's-04',
        kind: 'dosing',
        start: '2026-03-09T09:00:00-05:00',
        prescriptionId: 'rx-1',
        end: '2026-03-09T11:00:00-05:00',
        practitionerIds: ['pr-therapist-1'],
        product: 'ketamine',
        route: 'im',
        dose: { unit: 'mg', value: 35 },
        doseStart: '2026-03-09T09:10:00-05:00',
        administeredBy: 'pr-nurse-1',
        monitoredBy: ['pr-therapist-1'],
        vitals: [{ id: 'v-5', time: '2026-03-09T09:00:00-05:00', phase: 'pre-dose', kind: 'heart-rate', value: 72 }],
        sideEffects: [],
      },
      {
        id: 's-05',
        kind: 'integration',
        start: '2026-03-07T09:00:00-05:00',
        end: '2026-03-07T10:00:00-05:00',
        practitionerIds: ['pr-therapist-1'],
      },
      { id: 's-06', kind: 'follow-up', start: '2026-04-06T09:00:00-04:00', practitionerIds: ['pr-therapist-1'] },
    ],
    questionnaires: [
      {
        id: 'qr-1',
        instrument: 'phq9',
        authored: '2026-03-02T09:30:00-05:00',
        sessionId: 's-01',
        answers: { 'phq9-1': 2, 'phq9-2': 3, 'phq9-3': 2, 'phq9-4': 2, 'phq9-5': 1, 'phq9-6': 2, 'phq9-7': 1, 'phq9-8': 1, 'phq9-9': 0 },
      },
      { id: 'qr-2', instrument: 'gad7', authored: '2026-03-02T09:40:00-05:00', answers: [1, 2, null, 1, 0, 1, 2] },
      { id: 'qr-3', instrument: 'gad7', authored: '2026-03-09T08:50:00-05:00', sessionId: 's-04', answers: [1, 1, null] },
    ],
  };
}

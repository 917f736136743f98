/**
 * A small synthetic KAP episode with no safety signal (fictional people), mutated by the safety tests and mapped
 * through the real `mapEpisode`. IV racemic ketamine 0.5 mg/kg (prescribed 0.5 mg/kg), one dosing session;
 * medication review ("none") and screening ("none known") at assessment, the review confirmed before the dose,
 * discharge criteria met with an escort.
 */
import { parseIdentifierValue } from '../../identity/record-identity.js';
import type { Bundle } from '@medplum/fhirtypes';
import { expect } from '@jest/globals';
import { mapEpisode } from '../../fhir/map-episode.js';
import { parseEpisode } from '../../kap/episode.js';

/** A loosely typed episode JSON for tests to mutate. */
export type EpisodeJson = any;

/** A fresh clean episode. */
export function baseEpisode(): EpisodeJson {
  return {
    id: 'ep-t1',
    version: 1,
    updatedAt: '2026-04-10T17:00:00-05:00',
    status: 'active',
    period: { start: '2026-04-01T09:00:00-05:00' },
    clinic: { id: 'test-clinic', name: 'Test KAP Clinic' },
    patient: { id: 'pt-t1', name: { given: ['Sam'], family: 'Fixture' }, birthDate: '1980-01-01', gender: 'other' },
    indications: [{ id: 'dx-1', code: 'F33.2', treatmentResistant: true }],
    careTeam: [
      { id: 'pr-md', name: { given: ['Dana'], family: 'Prescriber' }, roles: ['prescriber'] },
      { id: 'pr-th', name: { given: ['Eli'], family: 'Therapist' }, roles: ['therapist', 'sitter'] },
      { id: 'pr-rn', name: { given: ['Fran'], family: 'Nurse' }, roles: ['administering-clinician'] },
    ],
    prescriptions: [
      {
        id: 'rx-1',
        prescriberId: 'pr-md',
        status: 'active',
        authoredOn: '2026-03-30T10:00:00-05:00',
        product: 'ketamine',
        route: 'iv',
        dose: { unit: 'mg/kg', value: 0.5 },
        sessions: 6,
        validity: { start: '2026-03-30', end: '2026-06-30' },
      },
    ],
    sessions: [
      {
        id: 's-01',
        kind: 'assessment',
        start: '2026-04-01T09:00:00-05:00',
        end: '2026-04-01T10:00:00-05:00',
        practitionerIds: ['pr-md'],
        medicationReview: { reviewedAt: '2026-04-01T09:20:00-05:00', none: true },
        screening: { screenedAt: '2026-04-01T09:25:00-05:00', noneKnown: true },
      },
      {
        id: 's-02',
        kind: 'dosing',
        start: '2026-04-03T09:00:00-05:00',
        end: '2026-04-03T11:30:00-05:00',
        practitionerIds: ['pr-th'],
        prescriptionId: 'rx-1',
        product: 'ketamine',
        route: 'iv',
        dose: { unit: 'mg/kg', value: 0.5, bodyWeightKg: 82.4 },
        doseStart: '2026-04-03T09:15:00-05:00',
        doseEnd: '2026-04-03T09:55:00-05:00',
        administeredBy: 'pr-rn',
        monitoredBy: ['pr-th'],
        vitals: [
          { id: 's-02-bp-pre', time: '2026-04-03T09:05:00-05:00', phase: 'pre-dose', kind: 'blood-pressure', systolic: 128, diastolic: 82 },
          { id: 's-02-sp-pre', time: '2026-04-03T09:05:00-05:00', phase: 'pre-dose', kind: 'oxygen-saturation', value: 98 },
          { id: 's-02-bp-mid', time: '2026-04-03T09:40:00-05:00', phase: 'during-dose', kind: 'blood-pressure', systolic: 150, diastolic: 94 },
          { id: 's-02-sp-mid', time: '2026-04-03T09:40:00-05:00', phase: 'during-dose', kind: 'oxygen-saturation', value: 96 },
          { id: 's-02-bp-post', time: '2026-04-03T11:10:00-05:00', phase: 'post-dose', kind: 'blood-pressure', systolic: 132, diastolic: 84 },
        ],
        sideEffects: [{ id: 's-02-se-1', effect: 'nausea', severity: 'mild' }],
        discharge: { criteriaMet: true, readyAt: '2026-04-03T11:20:00-05:00', transport: 'responsible-adult' },
        dischargedAt: '2026-04-03T11:30:00-05:00',
        medicationReview: { reviewedAt: '2026-04-03T09:02:00-05:00', none: true },
      },
    ],
    questionnaires: [
      {
        id: 'qr-phq',
        instrument: 'phq9',
        authored: '2026-04-01T09:10:00-05:00',
        sessionId: 's-01',
        answers: [3, 3, 2, 2, 2, 2, 2, 2, 0],
      },
      {
        id: 'qr-cssrs',
        instrument: 'cssrs-screen',
        authored: '2026-04-01T09:15:00-05:00',
        sessionId: 's-01',
        answers: { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 0 },
      },
    ],
  };
}

/**
 * A clean esketamine (Spravato-style) episode: 56 mg intranasal (lot recorded), BP before, 40 min after and 15 min
 * before discharge, SpO2 and MOAA/S after the dose, a CADSS-6 total, no respiratory depression, discharge 2 h 15 after
 * the dose — a complete Spravato REMS monitoring record (src/rems).
 */
export function esketamineEpisode(): EpisodeJson {
  const ep = baseEpisode();
  ep.prescriptions[0] = { ...ep.prescriptions[0], product: 'esketamine', route: 'intranasal', dose: { unit: 'mg', value: 56 } };
  const s = ep.sessions[1];
  Object.assign(s, {
    product: 'esketamine',
    route: 'intranasal',
    dose: { unit: 'mg', value: 56 },
    doseStart: '2026-04-03T09:15:00-05:00',
    end: '2026-04-03T11:45:00-05:00',
    dischargedAt: '2026-04-03T11:30:00-05:00',
    lotNumber: 'TEST-LOT-1',
    dissociation: { instrument: 'cadss6', score: 4, time: '2026-04-03T09:55:00-05:00' },
    respiratoryDepression: { observed: false, time: '2026-04-03T11:15:00-05:00' },
  });
  delete s.doseEnd;
  s.vitals = [
    { id: 's-02-bp-pre', time: '2026-04-03T09:05:00-05:00', phase: 'pre-dose', kind: 'blood-pressure', systolic: 128, diastolic: 82 },
    { id: 's-02-bp-40', time: '2026-04-03T09:55:00-05:00', phase: 'post-dose', kind: 'blood-pressure', systolic: 138, diastolic: 86 },
    { id: 's-02-sp-40', time: '2026-04-03T09:55:00-05:00', phase: 'post-dose', kind: 'oxygen-saturation', value: 97 },
    { id: 's-02-moaas-40', time: '2026-04-03T09:55:00-05:00', phase: 'post-dose', kind: 'sedation', moaas: 5 },
    { id: 's-02-bp-2h', time: '2026-04-03T11:15:00-05:00', phase: 'post-dose', kind: 'blood-pressure', systolic: 126, diastolic: 80 },
  ];
  return ep;
}

/** Parses (must be valid) and maps an episode with the real mapping. */
export function mapped(episode: EpisodeJson): Bundle {
  const parsed = parseEpisode(episode);
  if (!parsed.ok) {
    expect(parsed.outcome).toBeUndefined();
    throw new Error('fixture episode is invalid');
  }
  return mapEpisode(parsed.episode);
}

/** The KAP id (the identifier's local id) of the resource at a fullUrl (to name triggers by KAP id in assertions). */
export function idsOf(bundle: Bundle, fullUrls: string[]): string[] {
  return fullUrls.map((url) => {
    const r = bundle.entry?.find((e) => e.fullUrl === url)?.resource as { resourceType: string; identifier?: { value?: string } | { value?: string }[] } | undefined;
    const id = Array.isArray(r?.identifier) ? r?.identifier[0] : r?.identifier;
    return `${r?.resourceType}/${id?.value === undefined ? undefined : parseIdentifierValue(id.value).localId}`;
  });
}

/**
 * Adds a copy of the dosing session `s-02` as `newId`, every time moved by `shift` (a function over the time
 * strings, e.g. another date) and every vital / side-effect id renamed; returns the copy.
 */
export function addDosingCopy(ep: EpisodeJson, newId: string, shift: (time: string) => string): EpisodeJson {
  const copy = JSON.parse(
    JSON.stringify(ep.sessions[1], (key, value) => {
      if (typeof value !== 'string') {
        return value;
      }
      if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
        return shift(value);
      }
      return key === 'id' ? value.replace(/^s-02/, newId) : value;
    })
  );
  copy.id = newId;
  ep.sessions.push(copy);
  return copy;
}

/** Signals of a Bundle as `rule severity Type/kap-id…` strings (see idsOf). */
export function describeSignals(bundle: Bundle, signals: { rule: string; severity: string; resources: string[] }[]): string[] {
  return signals.map((s) => [s.rule, s.severity, ...idsOf(bundle, s.resources)].join(' '));
}

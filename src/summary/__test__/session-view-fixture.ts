/**
 * The shared SessionView fixture of issue 14: examples/esketamine-self-administered.json (episode ep-5230, dosing
 * session e-02, self-administered esketamine 56 mg) mapped through the real mapping (`mapClinicEpisode`, clinic c1),
 * and the SessionView a prescriber reads of that session, written out by hand from the mapped resources.
 * src/summary/read-session-view.test.ts checks that `sessionView(fixtureBundle(), fixtureMaUrl())` equals it.
 * Fictional data only.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { parseEpisode } from '../../kap/episode.js';
import { mapClinicEpisode } from '../../pipeline/map-clinic-episode.js';
import { DEFAULT_SAFETY_CONFIG } from '../../safety/config.js';
import type { SessionView } from '../session-view.js';

/**
 * An example episode mapped for clinic c1 (with its safety signals), as the EHR receives it.
 * @param name - the example's file name without `.json` (examples/)
 */
export function exampleBundle(name: string): Bundle {
  const parsed = parseEpisode(JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8')));
  if (!parsed.ok) {
    throw new Error(`example ${name} does not parse`);
  }
  return mapClinicEpisode(parsed.episode, 'c1').bundle;
}

/**
 * The fullUrl of the MedicationAdministration of a dosing session (its identifier ends with `/<sessionId>`).
 * @param bundle - an episode Bundle
 * @param sessionId - the dosing session's local id
 */
export function maFullUrlOf(bundle: Bundle, sessionId: string): string {
  const entry = (bundle.entry ?? []).find(
    (e) =>
      e.resource?.resourceType === 'MedicationAdministration' &&
      (e.resource.identifier ?? []).some((i) => i.value?.endsWith(`/${sessionId}`))
  );
  if (!entry?.fullUrl) {
    throw new Error(`no dose for session ${sessionId}`);
  }
  return entry.fullUrl;
}

/** examples/esketamine-self-administered.json mapped for clinic c1. */
export function fixtureBundle(): Bundle {
  return exampleBundle('esketamine-self-administered');
}

/** The fullUrl of the fixture's dose (session e-02). */
export function fixtureMaUrl(): string {
  return maFullUrlOf(fixtureBundle(), 'e-02');
}

/** The SessionView of session e-02 of the fixture (default safety thresholds). */
export function fixtureSessionView(): SessionView {
  const c = DEFAULT_SAFETY_CONFIG;
  return {
    episodeId: 'ep-5230',
    sessionId: 'e-02',
    clinic: { name: 'Mesa Behavioral Health' },
    patient: { name: 'Riley Testperson', birthDate: '1986-11-02', gender: 'male' },
    prescription: {
      id: 'rx-esk-56',
      prescriber: 'Harper Fictive',
      sig: 'Esketamine 56 mg nasal spray (2 devices) intranasal, once per dosing session, at most once every 3 days, 8 sessions',
      dose: '56 mg',
      sessions: 8,
      validity: { start: '2026-08-03', end: '2026-11-03' },
    },
    dose: {
      product: 'esketamine Nasal Spray',
      esketamine: true,
      route: 'Nasal route',
      mg: 56,
      deviceCount: 2,
      lot: 'ESK-2026-0815',
      status: 'given',
      start: '2026-08-10T09:10:00-07:00',
      end: '2026-08-10T09:15:00-07:00',
      selfAdministered: true,
    },
    session: { start: '2026-08-10T08:50:00-07:00', end: '2026-08-10T11:20:00-07:00', dischargedAt: '2026-08-10T11:20:00-07:00' },
    careTeam: { administeredBy: 'Avery Notreal', monitoredBy: ['Avery Notreal'], prescriber: 'Harper Fictive' },
    vitals: [
      { id: 'e-02-bp-pre', kind: 'blood-pressure', time: '2026-08-10T09:00:00-07:00', phase: 'pre-dose', systolic: 124, diastolic: 78 },
      { id: 'e-02-sp-pre', kind: 'oxygen-saturation', time: '2026-08-10T09:00:00-07:00', phase: 'pre-dose', value: 98 },
      { id: 'e-02-bp-40', kind: 'blood-pressure', time: '2026-08-10T09:50:00-07:00', phase: 'post-dose', systolic: 136, diastolic: 86 },
      { id: 'e-02-moaas-40', kind: 'sedation', time: '2026-08-10T09:50:00-07:00', phase: 'post-dose', value: 4 },
      { id: 'e-02-rr-40', kind: 'respiratory-rate', time: '2026-08-10T09:50:00-07:00', phase: 'post-dose', value: 14 },
      { id: 'e-02-sp-40', kind: 'oxygen-saturation', time: '2026-08-10T09:50:00-07:00', phase: 'post-dose', value: 97 },
      { id: 'e-02-bp-dc', kind: 'blood-pressure', time: '2026-08-10T11:05:00-07:00', phase: 'post-dose', systolic: 126, diastolic: 80 },
      { id: 'e-02-moaas-dc', kind: 'sedation', time: '2026-08-10T11:05:00-07:00', phase: 'post-dose', value: 5 },
      { id: 'e-02-sp-dc', kind: 'oxygen-saturation', time: '2026-08-10T11:05:00-07:00', phase: 'post-dose', value: 98 },
    ],
    thresholds: {
      systolic: c.systolicThreshold,
      diastolic: c.diastolicThreshold,
      severeSystolic: c.severeSystolicAbove,
      severeDiastolic: c.severeDiastolicAbove,
      spo2Below: c.spo2Below,
      heartRate: [c.heartRateBelow, c.heartRateAbove],
      respiratoryRate: [c.respiratoryRateBelow, c.respiratoryRateAbove],
    },
    sideEffects: [{ effect: 'Dissociation', severity: 'Mild', serious: false, outcome: 'Resolved', onset: '2026-08-10T09:25:00-07:00' }],
    respiratoryDepression: { observed: false, time: '2026-08-10T11:05:00-07:00' },
    discharge: { criteriaMet: true, readyAt: '2026-08-10T11:10:00-07:00', transport: 'Escorted by a responsible adult' },
    medications: { reviewedAt: '2026-08-10T08:55:00-07:00', none: false, items: [{ class: 'Other medication', name: 'Sertraline' }] },
    signals: [],
    scores: [
      {
        instrument: 'phq9',
        title: 'PHQ-9',
        max: 27,
        bands: [
          [0, 4, 'Minimal'],
          [5, 9, 'Mild'],
          [10, 14, 'Moderate'],
          [15, 19, 'Moderately severe'],
          [20, 27, 'Severe'],
        ],
        points: [{ id: 'e-qr-1', time: '2026-08-03T08:40:00-07:00', total: 14, band: 'Moderate', baseline: true, thisSession: true }],
        unscored: [],
      },
    ],
    suicideRisk: [],
    plan: {
      recommendation: 'Continue the current dose',
      nextDose: '56 mg',
      author: 'Harper Fictive',
      time: '2026-08-10T11:15:00-07:00',
    },
  };
}

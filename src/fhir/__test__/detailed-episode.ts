/**
 * The fixture episode with every element of issue 13's forward mapping (docs/design/issue-13-contract.md "FHIR
 * shape"): medication reviews (classes, "none"), screenings (present / absent / unknown, none known), sedation,
 * respiratory depression, discharge readiness, a plan, a serious side effect with its outcome, an esketamine
 * prescription with an interval, a lozenge prescription with a written sig, a self-administered esketamine dose with
 * its device count and a partly given lozenge dose. Fictional people and ids; a fresh copy each call.
 */
import type { KapEpisodeInput } from '../../kap/episode.js';
import { fixtureEpisode } from './fixture-episode.js';

type InputSession = NonNullable<KapEpisodeInput['sessions']>[number];
type InputDosing = Extract<InputSession, { kind: 'dosing' }>;

/** The dosing session of an input episode with this id (throws when absent: a broken fixture). */
export function dosingInput(ep: KapEpisodeInput, id: string): InputDosing {
  const s = ep.sessions?.find((x) => x.id === id);
  if (s?.kind !== 'dosing') {
    throw new Error(`no dosing session ${id}`);
  }
  return s;
}

/** The detailed fixture episode. */
export function detailedEpisode(): KapEpisodeInput {
  const ep = fixtureEpisode();
  ep.prescriptions?.push(
    {
      id: 'rx-3',
      prescriberId: 'pr-md-1',
      status: 'active',
      authoredOn: '2026-03-01T10:00:00-05:00',
      product: 'esketamine',
      route: 'intranasal',
      dose: { unit: 'mg', value: 84 },
      sessions: 7,
      minIntervalDays: 3,
      validity: { start: '2026-03-01', end: '2026-06-01' },
    },
    {
      id: 'rx-4',
      prescriberId: 'pr-md-1',
      status: 'active',
      authoredOn: '2026-03-01T10:00:00-05:00',
      product: 'ketamine',
      route: 'sublingual',
      dose: { unit: 'mg', value: 200 },
      form: 'lozenge',
      strength: { mg: 100, per: 'unit' },
      sessions: 4,
      sig: 'Dissolve two 100 mg troches under the tongue at the dosing session.',
      validity: { start: '2026-03-01' },
    }
  );
  const assessment = ep.sessions?.[0];
  if (assessment?.kind === 'assessment') {
    assessment.medicationReview = {
      reviewedAt: '2026-03-02T09:10:00-05:00',
      medications: [
        { id: 'm-1', class: 'benzodiazepine', name: 'Lorazepam 0.5 mg as needed' },
        { id: 'm-2', class: 'maoi', status: 'stopped' },
      ],
    };
    assessment.screening = {
      screenedAt: '2026-03-02T09:20:00-05:00',
      findings: { pregnancy: 'absent', 'psychosis-or-mania-history': 'present', 'substance-use-disorder': 'unknown' },
    };
  }
  const s03 = dosingInput(ep, 's-03');
  s03.form = 'injection-solution';
  s03.strength = { mg: 50, per: 'mL' };
  s03.vitals?.push({ id: 'v-6', time: '2026-03-06T09:40:00-05:00', phase: 'during-dose', kind: 'sedation', moaas: 3 });
  s03.respiratoryDepression = { observed: false, time: '2026-03-06T10:00:00-05:00' };
  s03.discharge = { criteriaMet: true, readyAt: '2026-03-06T11:20:00-05:00', transport: 'responsible-adult' };
  s03.plan = {
    recommendation: 'increase',
    nextDose: { unit: 'mg/kg', value: 0.6 },
    note: 'Tolerated well; increase next dose.',
    authorId: 'pr-md-1',
    time: '2026-03-06T11:25:00-05:00',
  };
  s03.medicationReview = { reviewedAt: '2026-03-06T09:00:00-05:00', none: true };
  s03.screening = { screenedAt: '2026-03-06T09:00:00-05:00', noneKnown: true, findings: { pregnancy: 'absent' } };
  s03.sideEffects?.push({ id: 'ae-3', effect: 'elevated-blood-pressure', severity: 'severe', serious: true, outcome: 'resolved-with-sequelae' });
  ep.sessions?.push(
    {
      id: 's-07',
      kind: 'dosing',
      start: '2026-03-12T09:00:00-05:00',
      end: '2026-03-12T11:15:00-05:00',
      practitionerIds: ['pr-therapist-1'],
      prescriptionId: 'rx-3',
      product: 'esketamine',
      route: 'intranasal',
      dose: { unit: 'mg', value: 84 },
      deviceCount: 3,
      selfAdministered: true,
      doseStart: '2026-03-12T09:05:00-05:00',
      doseEnd: '2026-03-12T09:15:00-05:00',
      administeredBy: 'pr-nurse-1',
      monitoredBy: ['pr-nurse-1'],
      medicationReview: { reviewedAt: '2026-03-12T09:00:00-05:00', medications: [{ id: 'm-1', class: 'benzodiazepine', status: 'on-hold' }] },
      dischargedAt: '2026-03-12T11:15:00-05:00',
    },
    {
      id: 's-08',
      kind: 'dosing',
      start: '2026-03-16T09:00:00-04:00',
      end: '2026-03-16T11:00:00-04:00',
      practitionerIds: ['pr-therapist-1'],
      prescriptionId: 'rx-4',
      product: 'ketamine',
      route: 'sublingual',
      dose: { unit: 'mg', value: 100 },
      doseStatus: 'partial',
      doseStatusReason: 'adverse-reaction',
      form: 'lozenge',
      strength: { mg: 100, per: 'unit' },
      doseStart: '2026-03-16T09:05:00-04:00',
      administeredBy: 'pr-nurse-1',
      monitoredBy: ['pr-nurse-1'],
    }
  );
  return ep;
}

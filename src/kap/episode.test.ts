import { describe, expect, test } from '@jest/globals';
import { fixtureEpisode } from '../fhir/__test__/fixture-episode.js';
import { kapEpisodeSchema, parseEpisode } from './episode.js';

// The fixture, loosely typed so tests can break it on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const fresh = (): Loose => fixtureEpisode();
// Index of the fixture's mg/kg dosing session (s-03) and mg dosing session (s-04).
const DOSING = 2;
const DOSING_MG = 3;

function expressions(json: unknown): string[] {
  const r = parseEpisode(json);
  if (r.ok) {
    return [];
  }
  return r.outcome.issue.flatMap((i) => i.expression ?? []);
}

/** A date in the future in every time zone. */
function dayAfterTomorrow(): string {
  return new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
}

interface Rule {
  name: string;
  expression: string;
  reject: (ep: Loose) => void;
  accept: (ep: Loose) => void;
}

const rules: Rule[] = [
  {
    name: 'dosing dose value ≤ 0',
    expression: `sessions[${DOSING}].dose.value`,
    reject: (ep) => (ep.sessions[DOSING].dose.value = 0),
    accept: (ep) => (ep.sessions[DOSING].dose.value = 0.01),
  },
  {
    name: 'mg dose value negative',
    expression: `sessions[${DOSING_MG}].dose.value`,
    reject: (ep) => (ep.sessions[DOSING_MG].dose.value = -5),
    accept: (ep) => (ep.sessions[DOSING_MG].dose.value = 1),
  },
  {
    name: 'prescription dose value ≤ 0',
    expression: 'prescriptions[0].dose.value',
    reject: (ep) => (ep.prescriptions[0].dose.value = 0),
    accept: (ep) => (ep.prescriptions[0].dose.value = 0.1),
  },
  {
    name: 'body weight ≤ 0',
    expression: `sessions[${DOSING}].dose.bodyWeightKg`,
    reject: (ep) => (ep.sessions[DOSING].dose.bodyWeightKg = 0),
    accept: (ep) => (ep.sessions[DOSING].dose.bodyWeightKg = 0.5),
  },
  {
    name: 'body weight > 400',
    expression: `sessions[${DOSING}].dose.bodyWeightKg`,
    reject: (ep) => (ep.sessions[DOSING].dose.bodyWeightKg = 400.1),
    accept: (ep) => (ep.sessions[DOSING].dose.bodyWeightKg = 400),
  },
  {
    name: 'session end before start',
    expression: 'sessions[0].end',
    reject: (ep) => (ep.sessions[0].end = '2026-03-02T08:59:59-05:00'),
    accept: (ep) => (ep.sessions[0].end = '2026-03-02T09:00:00-05:00'),
  },
  {
    name: 'session end before start across offsets',
    expression: 'sessions[0].end',
    reject: (ep) => (ep.sessions[0].end = '2026-03-02T13:59:00Z'),
    accept: (ep) => (ep.sessions[0].end = '2026-03-02T14:30:00Z'),
  },
  {
    name: 'episode period end before start',
    expression: 'period.end',
    reject: (ep) => (ep.period.end = '2026-03-01T09:00:00-05:00'),
    accept: (ep) => (ep.period.end = '2026-03-02T09:00:00-05:00'),
  },
  {
    name: 'dose end before dose start',
    expression: `sessions[${DOSING}].doseEnd`,
    reject: (ep) => (ep.sessions[DOSING].doseEnd = '2026-03-06T09:14:00-05:00'),
    accept: (ep) => (ep.sessions[DOSING].doseEnd = '2026-03-06T09:15:00-05:00'),
  },
  {
    name: 'prescription validity end before start',
    expression: 'prescriptions[0].validity.end',
    reject: (ep) => (ep.prescriptions[0].validity.end = '2026-02-24'),
    accept: (ep) => (ep.prescriptions[0].validity.end = '2026-02-25'),
  },
  {
    name: 'discharge before dose start',
    expression: `sessions[${DOSING}].dischargedAt`,
    reject: (ep) => (ep.sessions[DOSING].dischargedAt = '2026-03-06T09:14:59-05:00'),
    accept: (ep) => (ep.sessions[DOSING].dischargedAt = '2026-03-06T09:15:00-05:00'),
  },
  {
    name: 'diastolic ≥ systolic',
    expression: `sessions[${DOSING}].vitals[0].diastolic`,
    reject: (ep) => (ep.sessions[DOSING].vitals[0].diastolic = 128),
    accept: (ep) => (ep.sessions[DOSING].vitals[0].diastolic = 127),
  },
  {
    name: 'SpO2 > 100',
    expression: `sessions[${DOSING}].vitals[2].value`,
    reject: (ep) => (ep.sessions[DOSING].vitals[2].value = 100.5),
    accept: (ep) => (ep.sessions[DOSING].vitals[2].value = 100),
  },
  {
    name: 'SpO2 < 0',
    expression: `sessions[${DOSING}].vitals[2].value`,
    reject: (ep) => (ep.sessions[DOSING].vitals[2].value = -1),
    accept: (ep) => (ep.sessions[DOSING].vitals[2].value = 0),
  },
  {
    name: 'heart rate ≤ 0',
    expression: `sessions[${DOSING}].vitals[1].value`,
    reject: (ep) => (ep.sessions[DOSING].vitals[1].value = 0),
    accept: (ep) => (ep.sessions[DOSING].vitals[1].value = 1),
  },
  {
    name: 'respiratory rate ≤ 0',
    expression: `sessions[${DOSING}].vitals[3].value`,
    reject: (ep) => (ep.sessions[DOSING].vitals[3].value = -2),
    accept: (ep) => (ep.sessions[DOSING].vitals[3].value = 4),
  },
  {
    name: 'unknown prescriberId',
    expression: 'prescriptions[0].prescriberId',
    reject: (ep) => (ep.prescriptions[0].prescriberId = 'pr-nobody'),
    accept: (ep) => (ep.careTeam[0].roles = ['therapist', 'prescriber']) && (ep.prescriptions[0].prescriberId = 'pr-therapist-1'),
  },
  {
    name: 'prescriber without the prescriber role',
    expression: 'prescriptions[0].prescriberId',
    reject: (ep) => (ep.prescriptions[0].prescriberId = 'pr-therapist-1'),
    accept: (ep) => (ep.prescriptions[0].prescriberId = 'pr-md-1'),
  },
  {
    name: 'unknown prescriptionId',
    expression: `sessions[${DOSING}].prescriptionId`,
    reject: (ep) => (ep.sessions[DOSING].prescriptionId = 'rx-9'),
    accept: (ep) => (ep.sessions[DOSING].prescriptionId = 'rx-2'),
  },
  {
    name: 'unknown administeredBy',
    expression: `sessions[${DOSING}].administeredBy`,
    reject: (ep) => (ep.sessions[DOSING].administeredBy = 'pr-ghost'),
    accept: (ep) => (ep.sessions[DOSING].administeredBy = 'pr-md-1'),
  },
  {
    name: 'unknown monitoredBy',
    expression: `sessions[${DOSING}].monitoredBy[1]`,
    reject: (ep) => (ep.sessions[DOSING].monitoredBy[1] = 'pr-ghost'),
    accept: (ep) => (ep.sessions[DOSING].monitoredBy[1] = 'pr-md-1'),
  },
  {
    name: 'unknown practitionerIds entry',
    expression: 'sessions[1].practitionerIds[0]',
    reject: (ep) => (ep.sessions[1].practitionerIds[0] = 'pr-ghost'),
    accept: (ep) => (ep.sessions[1].practitionerIds[0] = 'pr-nurse-1'),
  },
  {
    name: 'unknown questionnaire sessionId',
    expression: 'questionnaires[0].sessionId',
    reject: (ep) => (ep.questionnaires[0].sessionId = 's-99'),
    accept: (ep) => (ep.questionnaires[0].sessionId = 's-06'),
  },
  {
    name: 'duplicate indication id',
    expression: 'indications[1].id',
    reject: (ep) => (ep.indications[1].id = 'dx-1'),
    accept: (ep) => (ep.indications[1].id = 'dx-1b'),
  },
  {
    name: 'duplicate care team id',
    expression: 'careTeam[3].id',
    reject: (ep) => {
      ep.careTeam.push({ ...ep.careTeam[2] });
    },
    accept: (ep) => {
      ep.careTeam.push({ ...ep.careTeam[2], id: 'pr-nurse-2' });
    },
  },
  {
    name: 'duplicate prescription id',
    expression: 'prescriptions[1].id',
    reject: (ep) => (ep.prescriptions[1].id = 'rx-1'),
    accept: (ep) => (ep.prescriptions[1].id = 'rx-3'),
  },
  {
    name: 'duplicate session id',
    expression: 'sessions[5].id',
    reject: (ep) => (ep.sessions[5].id = 's-01'),
    accept: (ep) => (ep.sessions[5].id = 's-07'),
  },
  {
    name: 'duplicate questionnaire id',
    expression: 'questionnaires[2].id',
    reject: (ep) => (ep.questionnaires[2].id = 'qr-1'),
    accept: (ep) => (ep.questionnaires[2].id = 'qr-4'),
  },
  {
    name: 'duplicate vital id across sessions',
    expression: `sessions[${DOSING_MG}].vitals[0].id`,
    reject: (ep) => (ep.sessions[DOSING_MG].vitals[0].id = 'v-1'),
    accept: (ep) => (ep.sessions[DOSING_MG].vitals[0].id = 'v-6'),
  },
  {
    name: 'vital id equal to a questionnaire id (one Observation identifier space)',
    expression: `sessions[${DOSING}].vitals[0].id`,
    reject: (ep) => (ep.sessions[DOSING].vitals[0].id = 'qr-1'),
    accept: (ep) => (ep.sessions[DOSING].vitals[0].id = 'qr-1x'),
  },
  {
    name: 'duplicate side-effect id across sessions',
    expression: `sessions[${DOSING_MG}].sideEffects[0].id`,
    reject: (ep) => ep.sessions[DOSING_MG].sideEffects.push({ id: 'ae-1', effect: 'headache', severity: 'mild' }),
    accept: (ep) => ep.sessions[DOSING_MG].sideEffects.push({ id: 'ae-3', effect: 'headache', severity: 'mild' }),
  },
  {
    name: 'answer not one of the item scores',
    expression: 'questionnaires[0].answers.phq9-1',
    reject: (ep) => (ep.questionnaires[0].answers['phq9-1'] = 4),
    accept: (ep) => (ep.questionnaires[0].answers['phq9-1'] = 3),
  },
  {
    name: 'answer not one of the item scores (array form)',
    expression: 'questionnaires[1].answers[1]',
    reject: (ep) => (ep.questionnaires[1].answers[1] = 1.5),
    accept: (ep) => (ep.questionnaires[1].answers[1] = 0),
  },
  {
    name: 'answer to an item the instrument does not have',
    expression: 'questionnaires[0].answers.phq9-10',
    reject: (ep) => (ep.questionnaires[0].answers['phq9-10'] = 1),
    accept: (ep) => (ep.questionnaires[0].answers['phq9-difficulty'] = 1),
  },
  {
    name: 'unknown instrument',
    expression: 'questionnaires[0].instrument',
    reject: (ep) => (ep.questionnaires[0].instrument = 'phq-9'),
    accept: (ep) => {
      ep.questionnaires[0].instrument = 'gad7';
      ep.questionnaires[0].answers = { 'gad7-1': 3 };
    },
  },
  {
    name: 'birth date in the future',
    expression: 'patient.birthDate',
    reject: (ep) => (ep.patient.birthDate = dayAfterTomorrow()),
    accept: (ep) => (ep.patient.birthDate = new Date().toISOString().slice(0, 10)),
  },
  {
    name: 'NPI with a wrong check digit',
    expression: 'careTeam[1].npi',
    reject: (ep) => (ep.careTeam[1].npi = '1245319598'),
    accept: (ep) => (ep.careTeam[1].npi = '1234567893'),
  },
  {
    name: 'unknown field',
    expression: 'patient.gendr',
    reject: (ep) => (ep.patient.gendr = 'female'),
    accept: (ep) => (ep.patient.gender = 'unknown'),
  },
  {
    name: 'time without offset',
    expression: 'sessions[0].start',
    reject: (ep) => (ep.sessions[0].start = '2026-03-02T09:00:00'),
    accept: (ep) => (ep.sessions[0].start = '2026-03-02T14:00:00Z'),
  },
  {
    name: 'indication code outside clinical-codes.md §6',
    expression: 'indications[0].code',
    reject: (ep) => (ep.indications[0].code = 'F33.3'),
    accept: (ep) => (ep.indications[0].code = 'F43.12'),
  },
  {
    name: 'id outside the FHIR id pattern',
    expression: 'indications[0].id',
    reject: (ep) => (ep.indications[0].id = 'dx_1'),
    accept: (ep) => (ep.indications[0].id = 'dx.1-A'),
  },
];

describe('KAP episode schema', () => {
  test('the fixture episode is valid', () => {
    expect(expressions(fresh())).toEqual([]);
  });

  describe.each(rules)('$name', (rule) => {
    test('is rejected with an issue naming the field', () => {
      const ep = fresh();
      rule.reject(ep);
      expect(expressions(ep)).toEqual([rule.expression]);
    });
    test('its near miss is accepted', () => {
      const ep = fresh();
      rule.accept(ep);
      expect(expressions(ep)).toEqual([]);
    });
  });

  test('a vital sign time outside the session is not rejected (clinics record late)', () => {
    const ep = fresh();
    ep.sessions[DOSING].vitals[3].time = '2026-09-30T23:00:00-05:00';
    expect(expressions(ep)).toEqual([]);
  });

  test('a dose must name the prescription it fulfils (an inactive one is a safety signal, not a parse error)', () => {
    const ep = fresh();
    delete ep.sessions[DOSING].prescriptionId;
    expect(expressions(ep)).toEqual([`sessions[${DOSING}].prescriptionId`]);
  });

  test('a mg/kg dose needs the body weight used', () => {
    const ep = fresh();
    delete ep.sessions[DOSING].dose.bodyWeightKg;
    expect(expressions(ep)).toEqual([`sessions[${DOSING}].dose.bodyWeightKg`]);
  });

  test('array answers are normalised to linkIds in item order, nulls dropped', () => {
    const r = kapEpisodeSchema.parse(fresh());
    expect(r.questionnaires[1].answers).toEqual({ 'gad7-1': 1, 'gad7-2': 2, 'gad7-4': 1, 'gad7-5': 0, 'gad7-6': 1, 'gad7-7': 2 });
    expect(Object.keys(r.questionnaires[1].answers)).toEqual(['gad7-1', 'gad7-2', 'gad7-4', 'gad7-5', 'gad7-6', 'gad7-7']);
  });

  test('more array answers than items is rejected', () => {
    const ep = fresh();
    ep.questionnaires[2].answers = [0, 0, 0, 0, 0, 0, 0, 0];
    expect(expressions(ep)).toEqual(['questionnaires[2].answers']);
  });

  test('external: false is normalised away, external: true kept', () => {
    const ep = fresh();
    ep.careTeam[0].external = false;
    const r = kapEpisodeSchema.parse(ep);
    expect('external' in r.careTeam[0]).toBe(false);
    expect(r.careTeam[1].external).toBe(true);
  });

  test('absent collections default to empty arrays', () => {
    const ep = fresh();
    delete ep.questionnaires;
    delete ep.sessions[DOSING_MG].sideEffects;
    const r = kapEpisodeSchema.parse(ep);
    expect(r.questionnaires).toEqual([]);
    const s = r.sessions[DOSING_MG];
    expect(s.kind === 'dosing' && s.sideEffects).toEqual([]);
  });

  test('an outcome names the field, never the rejected value', () => {
    const ep = fresh();
    ep.patient.gender = 'Avery-Testperson-female';
    ep.patient.birthDate = '1984-13-45';
    ep.patient.name.family = 42;
    const r = parseEpisode(ep);
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r.ok ? {} : r.outcome);
    expect(text).not.toMatch(/Avery|Testperson|1984-13-45|42/);
    expect(r.ok ? [] : r.outcome.issue.map((i) => i.expression?.[0]).sort()).toEqual([
      'patient.birthDate',
      'patient.gender',
      'patient.name.family',
    ]);
  });

  test('several collections of errors are all reported', () => {
    const ep = fresh();
    ep.sessions[DOSING].vitals[0].diastolic = 140;
    ep.sessions[DOSING].vitals[2].value = 101;
    expect(expressions(ep).sort()).toEqual([`sessions[${DOSING}].vitals[0].diastolic`, `sessions[${DOSING}].vitals[2].value`]);
  });
});

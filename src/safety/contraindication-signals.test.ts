/**
 * Contraindication, precaution, interaction and medication-review rules of issue 13, and the serious adverse event
 * and respiratory depression rules (docs/safety.md). Each: a firing case and a near miss.
 */
import { describe, expect, test } from '@jest/globals';
import { baseEpisode, describeSignals, esketamineEpisode, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle));
}

function edit(ep: EpisodeJson, change: (ep: EpisodeJson) => void): EpisodeJson {
  change(ep);
  return ep;
}

/** The episode with the assessment's screening recording these findings. */
function screened(findings: Record<string, string>, ep: EpisodeJson = baseEpisode()): EpisodeJson {
  ep.sessions[0].screening = { screenedAt: '2026-04-01T09:25:00-05:00', findings };
  return ep;
}

/** The episode with the dosing session's medication review listing these classes (ids m1, m2…). */
function taking(classes: string[], status = 'active'): EpisodeJson {
  const ep = baseEpisode();
  ep.sessions[1].medicationReview = {
    reviewedAt: '2026-04-03T09:02:00-05:00',
    medications: classes.map((c, i) => ({ id: `m${i + 1}`, class: c, status })),
  };
  return ep;
}

const MA = 'MedicationAdministration/s-02';

type Case = [name: string, make: () => EpisodeJson, expected: string[]];

const cases: Case[] = [
  // Screening (latest at or before the dose)
  ['pregnancy present → contraindication-pregnancy', () => screened({ pregnancy: 'present' }),
    [`contraindication-pregnancy urgent ${MA} Observation/s-01-screen-pregnancy`]],
  ['near miss: pregnancy unknown (contraindication-pregnancy)', () => screened({ pregnancy: 'unknown' }), []],
  ['esketamine with an AVM → contraindication-vascular (urgent)', () => screened({ 'aneurysmal-vascular-disease-or-avm': 'present' }, esketamineEpisode()),
    [`contraindication-vascular urgent ${MA} Observation/s-01-screen-aneurysmal-vascular-disease-or-avm`]],
  ['racemic ketamine with an ICH history → contraindication-vascular (attention)', () => screened({ 'intracerebral-hemorrhage-history': 'present' }),
    [`contraindication-vascular attention ${MA} Observation/s-01-screen-intracerebral-hemorrhage-history`]],
  ['near miss: AVM absent (contraindication-vascular)', () => screened({ 'aneurysmal-vascular-disease-or-avm': 'absent' }, esketamineEpisode()), []],
  ['hypersensitivity → contraindication-hypersensitivity', () => screened({ 'ketamine-hypersensitivity': 'present' }),
    [`contraindication-hypersensitivity urgent ${MA} Observation/s-01-screen-ketamine-hypersensitivity`]],
  ['near miss: hypersensitivity absent (contraindication-hypersensitivity)', () => screened({ 'ketamine-hypersensitivity': 'absent' }), []],
  ['near miss: hypersensitivity unknown (contraindication-hypersensitivity)', () => screened({ 'ketamine-hypersensitivity': 'unknown' }), []],
  ['near miss: hypersensitivity recorded at assessment, cleared by "none known" before the dose (contraindication-hypersensitivity)', () =>
    edit(screened({ 'ketamine-hypersensitivity': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), []],
  ['uncontrolled hypertension → precaution-uncontrolled-hypertension', () => screened({ 'uncontrolled-hypertension': 'present' }),
    [`precaution-uncontrolled-hypertension attention ${MA} Observation/s-01-screen-uncontrolled-hypertension`]],
  ['near miss: uncontrolled hypertension absent (precaution-uncontrolled-hypertension)', () => screened({ 'uncontrolled-hypertension': 'absent' }), []],
  ['near miss: uncontrolled hypertension recorded only after the dose (precaution-uncontrolled-hypertension)', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T11:25:00-05:00', findings: { 'uncontrolled-hypertension': 'present' } };
    }), []],
  ['psychosis history → precaution-psychosis-history', () => screened({ 'psychosis-or-mania-history': 'present' }),
    [`precaution-psychosis-history attention ${MA} Observation/s-01-screen-psychosis-or-mania-history`]],
  ['near miss: psychosis history absent (precaution-psychosis-history)', () => screened({ 'psychosis-or-mania-history': 'absent' }), []],
  ['substance use disorder → precaution-substance-use', () => screened({ 'substance-use-disorder': 'present' }),
    [`precaution-substance-use attention ${MA} Observation/s-01-screen-substance-use-disorder`]],
  ['near miss: updated to absent at the dosing session, before the dose (precaution-substance-use)', () =>
    edit(screened({ 'substance-use-disorder': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', findings: { 'substance-use-disorder': 'absent' } };
    }), []],
  ['near miss: "none known" at the dosing session clears an earlier finding (precaution-substance-use)', () =>
    edit(screened({ 'substance-use-disorder': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), []],
  ['near miss: a finding screened only after the dose (precaution-psychosis-history)', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T11:25:00-05:00', findings: { 'psychosis-or-mania-history': 'present' } };
    }), []],
  // Current medications (latest review at or before the dose)
  ['MAOI → interaction-bp', () => taking(['maoi']), [`interaction-bp attention ${MA} MedicationStatement/s-02-med-m1`]],
  ['psychostimulant → interaction-bp', () => taking(['psychostimulant']), [`interaction-bp attention ${MA} MedicationStatement/s-02-med-m1`]],
  ['near miss: MAOI stopped (interaction-bp)', () => taking(['maoi'], 'stopped'), []],
  ['opioid → interaction-sedation', () => taking(['opioid']), [`interaction-sedation attention ${MA} MedicationStatement/s-02-med-m1`]],
  ['benzodiazepine → interaction-sedation and interaction-blunted-response (information)', () => taking(['benzodiazepine']),
    [`interaction-sedation attention ${MA} MedicationStatement/s-02-med-m1`, `interaction-blunted-response information ${MA} MedicationStatement/s-02-med-m1`]],
  ['lamotrigine → interaction-blunted-response (information)', () => taking(['lamotrigine']),
    [`interaction-blunted-response information ${MA} MedicationStatement/s-02-med-m1`]],
  ['near miss: another medication (interaction-bp, interaction-sedation, interaction-blunted-response)', () => taking(['other']), []],
  ['near miss: an MAOI at assessment, "none" confirmed before the dose (interaction-bp)', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions[0].medicationReview = { reviewedAt: '2026-04-01T09:20:00-05:00', medications: [{ id: 'm1', class: 'maoi' }] };
    }), []],
  ['an MAOI at assessment, no review at the dosing session → interaction-bp', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions[0].medicationReview = { reviewedAt: '2026-04-01T09:20:00-05:00', medications: [{ id: 'm1', class: 'maoi' }] };
      delete ep.sessions[1].medicationReview;
    }), [`interaction-bp attention ${MA} MedicationStatement/s-01-med-m1`]],
  ['no medication review anywhere → medication-review-missing', () =>
    edit(baseEpisode(), (ep) => { delete ep.sessions[0].medicationReview; delete ep.sessions[1].medicationReview; }),
    [`medication-review-missing attention ${MA}`]],
  ['near miss: reviewed at assessment only (medication-review-missing)', () => edit(baseEpisode(), (ep) => delete ep.sessions[1].medicationReview), []],
  // Serious adverse event, respiratory depression
  ['serious adverse event → side-effect-serious', () =>
    edit(baseEpisode(), (ep) => (ep.sessions[1].sideEffects = [{ id: 'se-s', effect: 'vomiting', severity: 'mild', serious: true, outcome: 'resolved' }])),
    ['side-effect-serious urgent AdverseEvent/se-s']],
  ['near miss: a mild side effect (side-effect-severe, side-effect-moderate)', () =>
    edit(baseEpisode(), (ep) => (ep.sessions[1].sideEffects = [{ id: 'se-s', effect: 'vomiting', severity: 'mild' }])), []],
  ['near miss: non-serious (side-effect-serious)', () =>
    edit(baseEpisode(), (ep) => (ep.sessions[1].sideEffects = [{ id: 'se-s', effect: 'vomiting', severity: 'mild', serious: false }])), []],
  ['respiratory depression observed → respiratory-depression', () =>
    edit(baseEpisode(), (ep) => (ep.sessions[1].respiratoryDepression = { observed: true, time: '2026-04-03T09:45:00-05:00' })),
    ['respiratory-depression urgent Observation/s-02-resp-depression']],
  ['near miss: watched for, not observed (respiratory-depression)', () =>
    edit(baseEpisode(), (ep) => (ep.sessions[1].respiratoryDepression = { observed: false, time: '2026-04-03T09:45:00-05:00' })), []],
];

describe('contraindication, interaction and clinical-event rules', () => {
  test.each(cases)('%s', (_name, make, expected) => {
    expect(signals(make())).toEqual(expected);
  });

  test('a held dose raises no contraindication or interaction signal', () => {
    const ep = screened({ pregnancy: 'present' }, taking(['maoi']));
    Object.assign(ep.sessions[1], { doseStatus: 'held', doseStatusReason: 'pregnancy' });
    expect(signals(ep)).toEqual([]);
  });
});

/**
 * Contraindication, precaution, interaction and medication-review rules of issue 13, and the serious adverse event
 * and respiratory depression rules (docs/safety.md). Each: a firing case and a near miss.
 */
import { describe, expect, test } from '@jest/globals';
import { addDosingCopy, baseEpisode, describeSignals, esketamineEpisode, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import type { SafetyOverrides } from './config.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson, overrides?: SafetyOverrides): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle, overrides));
}

/** An integration session on `day` (09:00–10:00) whose screening records these findings at 09:10. */
function laterSession(id: string, day: string, findings: Record<string, string>): EpisodeJson {
  return {
    id,
    kind: 'integration',
    start: `${day}T09:00:00-05:00`,
    end: `${day}T10:00:00-05:00`,
    practitionerIds: ['pr-th'],
    screening: { screenedAt: `${day}T09:10:00-05:00`, findings },
  };
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
  ['hypersensitivity recorded at assessment, "none known" before the dose: a history item persists → contraindication-hypersensitivity', () =>
    edit(screened({ 'ketamine-hypersensitivity': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), [`contraindication-hypersensitivity urgent ${MA} Observation/s-01-screen-ketamine-hypersensitivity`]],
  ['near miss: hypersensitivity recorded at assessment, explicitly absent before the dose (contraindication-hypersensitivity)', () =>
    edit(screened({ 'ketamine-hypersensitivity': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', findings: { 'ketamine-hypersensitivity': 'absent' } };
    }), []],
  // History items persist through a later "none known" (only an explicit `absent` clears them)
  ['ICH at assessment, "none known" at the dosing session, esketamine given → contraindication-vascular still fires (urgent)', () =>
    edit(screened({ 'intracerebral-hemorrhage-history': 'present' }, esketamineEpisode()), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), [`contraindication-vascular urgent ${MA} Observation/s-01-screen-intracerebral-hemorrhage-history`]],
  ['near miss: ICH at assessment, explicitly recorded absent at the dosing session (contraindication-vascular)', () =>
    edit(screened({ 'intracerebral-hemorrhage-history': 'present' }, esketamineEpisode()), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', findings: { 'intracerebral-hemorrhage-history': 'absent' } };
    }), []],
  ['psychosis history at assessment, "none known" at the dosing session → precaution-psychosis-history still fires', () =>
    edit(screened({ 'psychosis-or-mania-history': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), [`precaution-psychosis-history attention ${MA} Observation/s-01-screen-psychosis-or-mania-history`]],
  ['near miss: "none known" at the dosing session clears uncontrolled hypertension, a current state (precaution-uncontrolled-hypertension)', () =>
    edit(screened({ 'uncontrolled-hypertension': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), []],
  ['near miss: "none known" at the dosing session clears a pregnancy recorded earlier, a current state (contraindication-pregnancy)', () =>
    edit(screened({ pregnancy: 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), []],
  // Exposure in pregnancy: a pregnancy found after the dose
  ['pregnancy recorded 5 min after the dose start in the dose\'s own session → contraindication-pregnancy', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:20:00-05:00', findings: { pregnancy: 'present' } };
    }), [`contraindication-pregnancy urgent ${MA} Observation/s-02-screen-pregnancy`]],
  ['pregnancy recorded at a later integration session, after the last dose → contraindication-pregnancy (exposure in pregnancy), once', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions.push(laterSession('s-03', '2026-04-06', { pregnancy: 'present' }), laterSession('s-04', '2026-04-09', { pregnancy: 'present' }));
    }), [`contraindication-pregnancy urgent ${MA} Observation/s-03-screen-pregnancy`]],
  ['pregnancy recorded between two doses → contraindication-pregnancy for the dose before it (exposure) and the dose after it', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions.push(laterSession('s-03', '2026-04-06', { pregnancy: 'present' }));
      addDosingCopy(ep, 's-05', (t) => t.replace('2026-04-03', '2026-04-08'));
    }), [
      `contraindication-pregnancy urgent ${MA} Observation/s-03-screen-pregnancy`,
      `contraindication-pregnancy urgent MedicationAdministration/s-05 Observation/s-03-screen-pregnancy`,
    ]],
  ['pregnancy found 41 weeks after the last dose → contraindication-pregnancy (a dose within the 42-week look-back)', () =>
    edit(baseEpisode(), (ep) => {
      ep.updatedAt = '2027-01-20T17:00:00-06:00';
      ep.sessions.push(laterSession('s-03', '2027-01-15', { pregnancy: 'present' }));
    }), [`contraindication-pregnancy urgent ${MA} Observation/s-03-screen-pregnancy`]],
  ['near miss: pregnancy found 43 weeks after the last dose, beyond any pregnancy (contraindication-pregnancy)', () =>
    edit(baseEpisode(), (ep) => {
      ep.updatedAt = '2027-02-05T17:00:00-06:00';
      ep.sessions.push(laterSession('s-03', '2027-01-29', { pregnancy: 'present' }));
    }), []],
  ['near miss: pregnancy recorded absent at a later integration session (contraindication-pregnancy)', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions.push(laterSession('s-03', '2026-04-06', { pregnancy: 'absent' }));
    }), []],
  ['near miss: pregnancy recorded after a held dose, no dose given before it (contraindication-pregnancy)', () =>
    edit(baseEpisode(), (ep) => {
      Object.assign(ep.sessions[1], { doseStatus: 'held', doseStatusReason: 'clinician-decision' });
      ep.sessions.push(laterSession('s-03', '2026-04-06', { pregnancy: 'present' }));
    }), []],
  ['near miss: uncontrolled hypertension at a later session, after the last dose (precaution-uncontrolled-hypertension)', () =>
    edit(baseEpisode(), (ep) => {
      ep.sessions.push(laterSession('s-03', '2026-04-06', { 'uncontrolled-hypertension': 'present' }));
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
  ['substance use disorder at assessment, "none known" at the dosing session: a history item persists → precaution-substance-use', () =>
    edit(screened({ 'substance-use-disorder': 'present' }), (ep) => {
      ep.sessions[1].screening = { screenedAt: '2026-04-03T09:03:00-05:00', noneKnown: true };
    }), [`precaution-substance-use attention ${MA} Observation/s-01-screen-substance-use-disorder`]],
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
  ['near miss: racemic ketamine reviewed at assessment only, default settings (medication-review-missing)', () => edit(baseEpisode(), (ep) => delete ep.sessions[1].medicationReview), []],
  ['esketamine reviewed at assessment only, none in the dosing session → medication-review-missing (REMS: every session)', () =>
    edit(esketamineEpisode(), (ep) => delete ep.sessions[1].medicationReview), [`medication-review-missing attention ${MA}`]],
  ['near miss: esketamine with a medication review in the dosing session (medication-review-missing)', () => esketamineEpisode(), []],
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

  test('racemic ketamine, a clinic requiring a review each session, none in the dosing session → medication-review-missing', () => {
    const ep = edit(baseEpisode(), (e) => delete e.sessions[1].medicationReview);
    expect(signals(ep, { routes: { iv: { requireMedicationReviewEachSession: true } } })).toEqual([`medication-review-missing attention ${MA}`]);
    expect(signals(ep, { routes: { im: { requireMedicationReviewEachSession: true } } })).toEqual([]);
  });

  test('near miss: a clinic requiring a review each session, the dosing session has one (medication-review-missing)', () => {
    expect(signals(baseEpisode(), { routes: { iv: { requireMedicationReviewEachSession: true } } })).toEqual([]);
  });

  test('a held dose raises no contraindication or interaction signal', () => {
    const ep = screened({ pregnancy: 'present' }, taking(['maoi']));
    Object.assign(ep.sessions[1], { doseStatus: 'held', doseStatusReason: 'pregnancy' });
    expect(signals(ep)).toEqual([]);
  });
});

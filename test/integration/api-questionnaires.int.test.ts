/**
 * POST /v1/questionnaire-responses on the real service: a KAP-form and a FHIR-form submission of
 * the same answers score the same (the total-score Observation's valueInteger at the sandbox EHR);
 * the FHIR form is read by the instruments module's own reader (items in a group, an extra
 * unanswered item, no id are fine, as in `kap-fhir score`); junk and unfinished responses → 422
 * naming the field, nothing enqueued.
 */
import { parseIdentifierValue } from '../../src/identity/record-identity.js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DetectedIssue, Observation, OperationOutcome, QuestionnaireResponse } from '@medplum/fhirtypes';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { exampleEpisodes, settleJob, startApiHarness, totalJobs, type ApiHarness } from './api-harness.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

interface Accepted {
  version: number;
  jobIds: string[];
}

const EPISODE = 'ep-qq-1';
const ANSWERS: Record<string, number> = {
  'phq9-1': 2, 'phq9-2': 1, 'phq9-3': 3, 'phq9-4': 0, 'phq9-5': 1, 'phq9-6': 2, 'phq9-7': 1, 'phq9-8': 0, 'phq9-9': 0,
};
const QUESTIONNAIRE = 'https://kap-fhir.org/fhir/Questionnaire/phq9';

const postFhir = (body: unknown, episodeId = EPISODE) =>
  h.call(`/v1/questionnaire-responses?episodeId=${episodeId}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/fhir+json' },
  });

/** A FHIR QuestionnaireResponse of ANSWERS: the items nested in a group, plus an unanswered item that is no instrument item. */
const fhirForm = (id?: string): Record<string, unknown> => ({
  resourceType: 'QuestionnaireResponse',
  ...(id ? { id } : {}),
  questionnaire: `${QUESTIONNAIRE}|1.0.0`,
  status: 'completed',
  authored: '2026-06-09T10:00:00-04:00',
  item: [
    { linkId: 'phq9-group', item: Object.entries(ANSWERS).map(([linkId, score]) => ({ linkId, answer: [{ valueInteger: score }] })) },
    { linkId: 'clinician-note' },
  ],
});

/** The total-score Observation of a response at the sandbox (identifier = the response id, valueInteger set). */
async function totalScore(qrId: string): Promise<number | undefined> {
  const all = await h.sandbox.controls.find<Observation>('Observation');
  const mine = all.filter(
    (o) =>
      o.valueInteger !== undefined &&
      (o.identifier ?? []).some(
        (i) => i.system === clinicIdentifierSystem('clinic-a') && i.value !== undefined && parseIdentifierValue(i.value).localId.startsWith(qrId)
      )
  );
  expect(mine).toHaveLength(1);
  return mine[0]?.valueInteger;
}

async function settle(res: Response): Promise<Accepted> {
  expect(res.status).toBe(202);
  const accepted = (await res.json()) as Accepted;
  const ehr = accepted.jobIds.find((j) => j.startsWith('ehr_')) as string;
  const settled = await settleJob(h, ehr);
  // on failure, say why (ids, codes and reasons only)
  expect({ state: settled.state, failedReason: settled.failedReason }).toEqual({ state: 'completed', failedReason: undefined });
  return accepted;
}

const expressions = async (res: Response): Promise<string[]> =>
  (((await res.json()) as OperationOutcome).issue ?? []).flatMap((i) => i.expression ?? []);

describe('POST /v1/questionnaire-responses', () => {
  beforeAll(async () => {
    const e = structuredClone((exampleEpisodes().find(([n]) => n.startsWith('iv-ketamine')) ?? exampleEpisodes()[0])?.[1] ?? {});
    expect((await h.call('/v1/episodes', { method: 'POST', json: { ...e, id: EPISODE, version: 1 } })).status).toBe(202);
  });

  test('KAP form and FHIR form of the same answers → the same total-score valueInteger at the EHR', async () => {
    const kap = { episodeId: EPISODE, id: 'qr-kap-1', instrument: 'phq9', authored: '2026-06-02T10:00:00-04:00', answers: ANSWERS };
    await settle(await h.call('/v1/questionnaire-responses', { method: 'POST', json: kap }));
    await settle(await postFhir(fhirForm('qr-fhir-1')));
    const expected = Object.values(ANSWERS).reduce((a, b) => a + b, 0);
    expect(await totalScore('qr-kap-1')).toBe(expected);
    expect(await totalScore('qr-fhir-1')).toBe(expected);
  });

  test('a PHQ-9 with item 9 left blank (KAP and FHIR form) → 202, the response stored, no total, the phq9-item9-unanswered signal', async () => {
    const mine = (localId: string) => (r: { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] }) =>
      [r.identifier ?? []].flat().some(
        (i) => i.system === clinicIdentifierSystem('clinic-a') && i.value !== undefined && parseIdentifierValue(i.value).localId.startsWith(localId)
      );
    const blank = { ...ANSWERS, 'phq9-9': null };
    const kap = { episodeId: EPISODE, id: 'qr-blank9-kap', instrument: 'phq9', authored: '2026-06-10T10:00:00-04:00', answers: blank };
    const fhir = fhirForm('qr-blank9-fhir');
    (fhir.item as { item: { linkId: string }[] }[])[0].item = (fhir.item as { item: { linkId: string }[] }[])[0].item.filter(
      (i) => i.linkId !== 'phq9-9'
    );
    for (const [id, res] of [
      ['qr-blank9-kap', await h.call('/v1/questionnaire-responses', { method: 'POST', json: kap })],
      ['qr-blank9-fhir', await postFhir(fhir)],
    ] as const) {
      const accepted = await settle(res);
      expect(accepted.jobIds.some((j) => j.startsWith('alert_'))).toBe(true);
      const responses = (await h.sandbox.controls.find<QuestionnaireResponse>('QuestionnaireResponse')).filter(mine(id));
      expect(responses).toHaveLength(1);
      expect(responses[0].item?.map((i) => i.linkId)).not.toContain('phq9-9');
      const scores = (await h.sandbox.controls.find<Observation>('Observation')).filter(mine(id));
      expect(scores.filter((o) => o.valueInteger !== undefined)).toHaveLength(0);
      const issues = (await h.sandbox.controls.find<DetectedIssue>('DetectedIssue')).filter(mine(`signal-phq9-item9-unanswered-${id}`));
      expect(issues).toHaveLength(1);
      expect(issues[0].code?.coding?.[0]?.code).toBe('phq9-item9-unanswered');
    }
  });

  test('a since-last-visit C-SSRS with Q2 No and Q4 Yes → 202, risk high flagged inconsistent, both signals', async () => {
    const mine = (localId: string) => (r: { identifier?: { system?: string; value?: string }[] }) =>
      (r.identifier ?? []).some((i) => i.system === clinicIdentifierSystem('clinic-a') && i.value !== undefined && parseIdentifierValue(i.value).localId === localId);
    const kap = {
      episodeId: EPISODE,
      id: 'qr-slv-1',
      instrument: 'cssrs-since-last-visit',
      authored: '2026-06-11T10:00:00-04:00',
      answers: { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-4': 1, 'cssrs-6': 0 },
    };
    await settle(await h.call('/v1/questionnaire-responses', { method: 'POST', json: kap }));
    const [risk] = (await h.sandbox.controls.find<Observation>('Observation')).filter(mine('qr-slv-1'));
    expect(risk?.valueCodeableConcept?.coding?.[0].code).toBe('high');
    expect(risk?.component?.map((c) => [c.code.coding?.[0].code, c.valueBoolean])).toEqual([['cssrs-inconsistent', true]]);
    const issues = await h.sandbox.controls.find<DetectedIssue>('DetectedIssue');
    for (const rule of ['cssrs-high', 'cssrs-inconsistent']) {
      expect(issues.filter(mine(`signal-${rule}-qr-slv-1`))).toHaveLength(1);
    }
  });

  test('a FHIR response without id is accepted (a stable id is derived: the same response again → 409)', async () => {
    await settle(await postFhir(fhirForm()));
    expect((await postFhir(fhirForm())).status).toBe(409);
  });

  test('an in-progress response → 422 naming QuestionnaireResponse.status, nothing enqueued', async () => {
    const before = await totalJobs(h);
    const res = await postFhir({ ...fhirForm('qr-draft-1'), status: 'in-progress' });
    expect(res.status).toBe(422);
    expect(await expressions(res)).toEqual(['QuestionnaireResponse.status']);
    expect(await totalJobs(h)).toBe(before);
  });

  test('junk → 422 naming the field, never 500, nothing enqueued', async () => {
    const cases: [string, unknown, string][] = [
      ['questionnaire a number', { ...fhirForm('qr-j-1'), questionnaire: 5 }, 'QuestionnaireResponse.questionnaire'],
      ['item an object', { ...fhirForm('qr-j-2'), item: { linkId: 'phq9-1' } }, 'QuestionnaireResponse.item'],
      ['item [null]', { ...fhirForm('qr-j-3'), item: [null] }, 'QuestionnaireResponse.item[0]'],
      ['answer [null]', { ...fhirForm('qr-j-4'), item: [{ linkId: 'phq9-1', answer: [null] }] }, 'QuestionnaireResponse.item[0].answer[0]'],
      ['status a number', { ...fhirForm('qr-j-5'), status: 1 }, 'QuestionnaireResponse.status'],
    ];
    for (const [name, body, field] of cases) {
      const before = await totalJobs(h);
      const res = await postFhir(body);
      expect({ name, status: res.status }).toEqual({ name, status: 422 });
      expect({ name, expressions: await expressions(res) }).toEqual({ name, expressions: [field] });
      expect(await totalJobs(h)).toBe(before);
    }
  });
});

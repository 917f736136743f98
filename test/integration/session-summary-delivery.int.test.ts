/**
 * Issue 14: every dosing session's summary — its Composition (kap-session-summary) and a DocumentReference with the
 * PDF — reaches the EHR with the episode, through the real service (port 0, real Redis, the sandbox EHR): one of
 * each per dosing session, the PDF's text holding that session's dose, and sent again a second time with nothing
 * duplicated; the prescriber's copy carries the signed view link.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Composition, DocumentReference, QuestionnaireResponse } from '@medplum/fhirtypes';
import { extractText, getDocumentProxy } from 'unpdf';
import { limitsSchema } from '../../src/config/service-config.js';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { exampleEpisodes, settleJob, startApiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

async function pdfText(ref: DocumentReference): Promise<string> {
  const data = Buffer.from(ref.content?.[0]?.attachment?.data ?? '', 'base64');
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(data)), { mergePages: true });
  return text;
}

async function deliver(episode: Record<string, unknown>): Promise<void> {
  const res = await h.call('/v1/episodes', { method: 'POST', json: episode });
  expect(res.status).toBe(202);
  const { jobIds } = (await res.json()) as { jobIds: string[] };
  for (const id of jobIds) {
    expect((await settleJob(h, id)).state).toBe('completed');
  }
}

describe('session summaries reach the EHR', () => {
  test('esketamine-mdd: a Composition and a PDF DocumentReference per dosing session, the PDF showing that dose; again: no duplicate', async () => {
    const episode = structuredClone(exampleEpisodes().find(([name]) => name === 'esketamine-mdd.json')?.[1]) as Record<string, unknown>;
    await deliver(episode);
    const system = clinicIdentifierSystem('clinic-a');
    const sessions = (episode.sessions as { id: string; kind: string; dose?: { value: number } }[]).filter((s) => s.kind === 'dosing');
    expect(sessions).toHaveLength(4);
    for (const s of sessions) {
      const token = `${system}|${String(episode.id)}/summary-${s.id}`;
      const compositions = await h.sandbox.controls.find<Composition>('Composition', token);
      const references = await h.sandbox.controls.find<DocumentReference>('DocumentReference', token);
      expect({ session: s.id, compositions: compositions.length, references: references.length }).toEqual({ session: s.id, compositions: 1, references: 1 });
      expect(compositions[0].meta?.profile).toContain('https://kap-fhir.org/fhir/StructureDefinition/kap-session-summary');
      expect(references[0].content?.[0]?.attachment?.contentType).toBe('application/pdf');
      expect(await pdfText(references[0])).toContain(`${s.dose?.value} mg`);
      // esketamine: the session's Spravato REMS monitoring record, complete for this example
      const rems = await h.sandbox.controls.find<QuestionnaireResponse>('QuestionnaireResponse', `${system}|${String(episode.id)}/${s.id}-rems`);
      expect(rems.map((r) => r.status)).toEqual(['completed']);
      const remsPdf = await h.sandbox.controls.find<DocumentReference>('DocumentReference', `${system}|${String(episode.id)}/${s.id}-rems-pdf`);
      expect(remsPdf.map((r) => r.content?.[0]?.attachment.contentType)).toEqual(['application/pdf']);
    }
    // the prescriber's delivery (same sandbox here) went with the signed view link, beside the summary
    for (const s of sessions) {
      const links = await h.sandbox.controls.find<DocumentReference>('DocumentReference', `${system}|${String(episode.id)}/summary-${s.id}-web-view`);
      expect(links).toHaveLength(1);
      expect(links[0].content?.[0]?.attachment.url).toMatch(/\/view\/[A-Za-z0-9_-]{40,}$/);
    }
    await deliver({ ...episode, version: Number(episode.version) + 1 });
    // 4 summaries, 4 REMS record PDFs, 4 links (each updated in place)
    expect(await h.sandbox.controls.find('DocumentReference')).toHaveLength(12);
    expect(await h.sandbox.controls.find('Composition')).toHaveLength(4);
  });
});

describe('limits.summariesPerVersion: how many of the latest dosing sessions a version carries the summaries of', () => {
  test('iv-ketamine-trd (6 dosing sessions) with the setting at 2: the summaries of the latest two, s-09 and s-10', async () => {
    const small = await startApiHarness({ limits: limitsSchema.parse({ summariesPerVersion: 2 }) });
    try {
      const episode = structuredClone(exampleEpisodes().find(([name]) => name === 'iv-ketamine-trd.json')?.[1]) as Record<string, unknown>;
      const res = await small.call('/v1/episodes', { method: 'POST', json: episode });
      expect(res.status).toBe(202);
      for (const id of ((await res.json()) as { jobIds: string[] }).jobIds) {
        expect((await settleJob(small, id)).state).toBe('completed');
      }
      const summaries = (await small.sandbox.controls.find<Composition>('Composition'))
        .map((c) => c.identifier?.value?.split('/summary-')[1])
        .sort();
      expect(summaries).toEqual(['s-09', 's-10']);
    } finally {
      await small.close();
    }
  });
});

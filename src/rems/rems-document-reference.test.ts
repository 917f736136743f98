import { describe, expect, test } from '@jest/globals';
import { extractText, getDocumentProxy } from 'unpdf';
import { exampleBundle, maFullUrlOf } from '../summary/__test__/session-view-fixture.js';
import { remsDocumentReference } from './rems-document-reference.js';
import { remsMonitoringPdf } from './rems-pdf.js';
import { remsMonitoringQuestionnaire } from './rems-questionnaire.js';
import { remsMonitoringResponse } from './rems-response.js';

describe('remsDocumentReference', () => {
  test('the REMS record of an esketamine session as a PDF DocumentReference beside its response', async () => {
    const bundle = exampleBundle('esketamine-self-administered');
    const { response } = remsMonitoringResponse(bundle, maFullUrlOf(bundle, 'e-02'));
    const pdf = await remsMonitoringPdf(response, remsMonitoringQuestionnaire());
    const ref = remsDocumentReference(response, { reference: 'urn:uuid:qr' }, pdf);
    expect(ref?.identifier?.[0]?.value).toBe(`${response.identifier?.value}-pdf`);
    expect(ref?.docStatus).toBe('final'); // a complete record
    expect(ref?.context?.related).toEqual([{ reference: 'urn:uuid:qr' }]);
    expect(ref?.context?.encounter).toEqual([response.encounter]);
    const data = Buffer.from(ref?.content?.[0]?.attachment.data ?? '', 'base64');
    expect(data.equals(pdf)).toBe(true);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(data)), { mergePages: true });
    expect(text).toContain('56');
    expect(remsDocumentReference({ ...response, identifier: undefined }, { reference: 'urn:uuid:qr' }, pdf)).toBeUndefined();
  });
});

import { beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { validateResource } from '@medplum/core';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { clinicIdentifierSystem, LOINC } from '../terminology/systems.js';
import { exampleBundle, fixtureBundle, fixtureMaUrl, fixtureSessionView } from './__test__/session-view-fixture.js';
import { attachmentHash, summaryDocumentReference, summaryIdentifierValue, summaryReferences } from './document-reference.js';
import { SessionNotFoundError } from './read-session-view.js';
import { sessionSummaryDocument } from './session-document.js';

const pdf = Buffer.from('%PDF-1.3\nnot really a pdf\n%%EOF\n');

describe('summaryDocumentReference', () => {
  beforeAll(() => loadBaseDefinitions());

  test('current, the Composition\'s LOINC type, subject, encounter, the PDF inline with size and SHA-1 hash', () => {
    const view = fixtureSessionView();
    const refs = summaryReferences(fixtureBundle(), fixtureMaUrl());
    const doc = summaryDocumentReference(view, pdf, { clinicId: 'c1', ...refs });
    expect(doc.status).toBe('current');
    expect(doc.docStatus).toBe('final');
    expect(doc.type?.coding).toEqual([{ system: LOINC, code: '11506-3', display: 'Provider-unspecified Progress note' }]);
    const composition = sessionSummaryDocument(view, fixtureBundle(), fixtureMaUrl(), { timestamp: '2026-08-10T18:20:00.000Z' }).entry?.[0]
      ?.resource as { type?: unknown; subject?: unknown; encounter?: unknown };
    expect(doc.type?.coding).toEqual((composition.type as { coding: unknown[] }).coding);
    expect(doc.subject).toEqual(composition.subject);
    expect(doc.context?.encounter).toEqual([composition.encounter]);
    expect(doc.subject?.reference).toMatch(/^urn:uuid:/);
    const attachment = doc.content[0]?.attachment;
    expect(attachment?.contentType).toBe('application/pdf');
    expect(Buffer.from(attachment?.data as string, 'base64').equals(pdf)).toBe(true);
    expect(attachment?.size).toBe(pdf.length);
    expect(attachment?.hash).toBe(createHash('sha1').update(pdf).digest('base64'));
    expect(attachment?.hash).toBe(attachmentHash(pdf));
    expect(attachment?.title).toBe('Ketamine dosing session summary 2026-08-10.pdf');
    // the session's end as the date: the same view gives the same resource
    expect(doc.date).toBe('2026-08-10T18:20:00.000Z');
    expect(summaryDocumentReference(view, pdf, { clinicId: 'c1', ...refs })).toEqual(doc);
    // base R4: no error (urn:uuid references are warnings outside a Bundle)
    expect(validateResource(doc).filter((i) => i.severity === 'error')).toEqual([]);
  });

  test('the business identifier: the clinic system, the episode-scoped value shared with the Composition', () => {
    const view = fixtureSessionView();
    const doc = summaryDocumentReference(view, pdf, { clinicId: 'c1', subject: { reference: 'Patient/1' } });
    expect(doc.identifier).toEqual([{ system: clinicIdentifierSystem('c1'), value: 'ep-5230/summary-e-02' }]);
    expect(summaryIdentifierValue(view)).toBe('ep-5230/summary-e-02');
    const composition = sessionSummaryDocument(view, fixtureBundle(), fixtureMaUrl(), { timestamp: '2026-08-10T18:20:00.000Z' }).entry?.[0]
      ?.resource as { identifier?: { value?: string } };
    expect(composition.identifier?.value).toBe(summaryIdentifierValue(view));
    // no name in the resource outside the attachment
    expect(JSON.stringify({ ...doc, content: [] })).not.toMatch(/Testperson|Fictive|Notreal/);
  });

  test('summaryReferences: a MedicationAdministration not in the Bundle', () => {
    expect(() => summaryReferences(exampleBundle('held-dose-bp'), 'urn:uuid:00000000-0000-0000-0000-000000000000')).toThrow(SessionNotFoundError);
  });
});

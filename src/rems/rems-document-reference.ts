/**
 * The Spravato REMS monitoring record's PDF as a DocumentReference (issue 14), beside its QuestionnaireResponse:
 * what a REMS coordinator files. Identifier `<the record's identifier>-pdf` (the clinic's system), no standard
 * document type code found for the form (type text only), subject and encounter as the record's, `context.related`
 * → the QuestionnaireResponse, the PDF inline with its size and SHA-1 hash (R4 Attachment).
 */
import type { DocumentReference, QuestionnaireResponse, Reference } from '@medplum/fhirtypes';
import { attachmentHash } from '../summary/document-reference.js';

/** The title of the form's PDF. */
const TITLE = 'Spravato REMS patient monitoring record';

/**
 * The DocumentReference of a REMS record's PDF.
 * @param response - the REMS QuestionnaireResponse (with its business identifier)
 * @param responseRef - how the Bundle references it (its fullUrl)
 * @param pdf - the PDF (`remsMonitoringPdf`)
 * @returns the DocumentReference, or undefined when the record has no identifier
 */
export function remsDocumentReference(response: QuestionnaireResponse, responseRef: Reference, pdf: Buffer): DocumentReference | undefined {
  const id = response.identifier;
  if (!id?.value) {
    return undefined;
  }
  const when = response.authored;
  return {
    resourceType: 'DocumentReference',
    identifier: [{ ...id, value: `${id.value}-pdf` }],
    status: 'current',
    docStatus: response.status === 'completed' ? 'final' : 'preliminary',
    type: { text: TITLE },
    ...(response.subject ? { subject: { reference: response.subject.reference } } : {}),
    ...(when ? { date: new Date(Date.parse(when)).toISOString() } : {}),
    description: TITLE,
    content: [
      {
        attachment: {
          contentType: 'application/pdf',
          data: pdf.toString('base64'),
          size: pdf.length,
          hash: attachmentHash(pdf),
          title: `${TITLE}.pdf`,
          ...(when ? { creation: when } : {}),
        },
      },
    ],
    context: { ...(response.encounter ? { encounter: [response.encounter] } : {}), related: [responseRef] },
  };
}

/**
 * The DocumentReference of a session summary PDF (issue 14): how the rendered PDF travels to an EHR that files
 * documents. R4 DocumentReference: `status: current`, `type` the same LOINC document type as the summary's
 * Composition (11506-3 Progress note, src/summary/session-document.ts), subject = the Patient, `context.encounter` =
 * the session Encounter, `date` = when the summary was made, `content[0].attachment` = the PDF inline (base64) with
 * its title, size and SHA-1 hash (base64, as R4 Attachment.hash says).
 *
 * Business identifier (docs/conventions.md): the clinic's system and the episode-scoped value
 * `<episodeId>/summary-<sessionId>` — the same value as the summary's Composition, so the PDF and the FHIR document
 * of one session are found by one identifier (a DocumentReference and a Composition are different types).
 */
import { createHash } from 'node:crypto';
import type { Bundle, DocumentReference, Encounter, Organization, Patient, Reference } from '@medplum/fhirtypes';
import { clinicIdentifier } from '../fhir/identifiers.js';
import { episodeScopedValue } from '../identity/record-identity.js';
import { PROGRESS_NOTE } from './session-document.js';
import { sessionEntries } from './session-entries.js';
import { SessionNotFoundError } from './read-session-view.js';
import type { SessionView } from './session-view.js';

/** The title of the document (no name in it). */
const TITLE = 'Ketamine dosing session summary';

/** Options of the DocumentReference. */
export interface SummaryDocumentReferenceOptions {
  /** The clinic (tenant): its identifier system. */
  clinicId: string;
  /** The Patient (a `urn:uuid` fullUrl in a Bundle, or a server reference). */
  subject: Reference<Patient>;
  /** The session's Encounter. */
  encounter?: Reference<Encounter>;
  /** The clinic's Organization (author and custodian). */
  organization?: Reference<Organization>;
  /** Related resources, e.g. the summary's Composition. */
  related?: Reference[];
  /** DocumentReference.date (FHIR instant); default: the session's end (else its start): stable output. */
  date?: string;
}

/**
 * The business identifier value of a session's summary documents.
 * @param view - the session
 */
export function summaryIdentifierValue(view: Pick<SessionView, 'episodeId' | 'sessionId'>): string {
  return episodeScopedValue(view.episodeId, `summary-${view.sessionId}`);
}

/**
 * The SHA-1 of the bytes, base64 (R4 Attachment.hash).
 * @param data - the bytes
 */
export function attachmentHash(data: Buffer): string {
  return createHash('sha1').update(data).digest('base64');
}

/** A written dateTime as a FHIR instant (UTC), for `date`. */
function instantOf(time: string): string {
  return new Date(Date.parse(time)).toISOString();
}

/**
 * The DocumentReference carrying a session summary PDF.
 * @param view - the session the PDF renders
 * @param pdf - the PDF bytes (`sessionSummaryPdf(view)`)
 * @param opts - clinic, subject, encounter, organization, related, date
 */
export function summaryDocumentReference(view: SessionView, pdf: Buffer, opts: SummaryDocumentReferenceOptions): DocumentReference {
  const day = view.dose.start.slice(0, 10);
  const when = view.session.end ?? view.session.start ?? view.dose.start;
  return {
    resourceType: 'DocumentReference',
    identifier: [clinicIdentifier(opts.clinicId, summaryIdentifierValue(view))],
    status: 'current',
    docStatus: 'final',
    type: { coding: [PROGRESS_NOTE], text: TITLE },
    subject: opts.subject,
    date: opts.date ?? instantOf(when),
    ...(opts.organization ? { author: [opts.organization], custodian: opts.organization } : {}),
    description: `${TITLE}, ${day}`,
    content: [
      {
        attachment: {
          contentType: 'application/pdf',
          language: 'en-US',
          data: pdf.toString('base64'),
          size: pdf.length,
          hash: attachmentHash(pdf),
          title: `${TITLE} ${day}.pdf`,
          creation: when,
        },
      },
    ],
    context: {
      ...(opts.encounter ? { encounter: [opts.encounter] } : {}),
      period: { start: view.session.start, ...(view.session.end ? { end: view.session.end } : {}) },
      ...(opts.related?.length ? { related: opts.related } : {}),
    },
  };
}

/**
 * The references of a session's summary in its episode Bundle: the Patient, the session Encounter and the clinic's
 * Organization, by their `urn:uuid` fullUrls (as the summary's Composition cites them).
 * @param bundle - the episode Bundle
 * @param maFullUrl - the session's MedicationAdministration fullUrl
 * @throws SessionNotFoundError when the Bundle has no MedicationAdministration with that fullUrl
 */
export function summaryReferences(
  bundle: Bundle,
  maFullUrl: string
): Pick<SummaryDocumentReferenceOptions, 'subject' | 'encounter' | 'organization'> {
  const entries = sessionEntries(bundle, maFullUrl);
  if (!entries) {
    throw new SessionNotFoundError();
  }
  const patient = entries.index.ofType('Patient')[0]?.ref;
  const organization = entries.index.ofType('Organization')[0]?.ref;
  return {
    subject: patient ? { reference: patient } : { display: 'Patient' },
    ...(entries.encounter ? { encounter: { reference: entries.encounter } } : {}),
    ...(organization ? { organization: { reference: organization } } : {}),
  };
}

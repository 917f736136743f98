/**
 * The link sent with the prescriber delivery (issue 14): a time-limited view link for the patient of a delivered
 * dosing session, to go beside the session's data (src/sync/prescriber-deliveries.ts calls this when it is wired).
 * The URL is `<publicUrl>/view/<token>`: no patient id, no clinic id, nothing but the random token.
 */
import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import { transactionEntry } from '../../fhir/bundle.js';
import { clinicIdentifierValue } from '../../fhir/identifiers.js';
import type { ViewLinkStore } from './link-store.js';

/** A link as handed out: the URL holding the token, its id and its expiry. */
export interface IssuedLink {
  linkId: string;
  /** `/view/<token>` (absolute when the service's public URL is known). */
  url: string;
  /** `/view/<token>` */
  path: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * The path and URL of a token.
 * @param token - the link's token
 * @param publicUrl - the service's public base URL (`https://kap.example.org`, a path allowed), when known
 */
export function linkLocation(token: string, publicUrl?: string): { path: string; url: string } {
  const path = `/view/${token}`;
  return { path, url: publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path };
}

/**
 * The clinic's local patient id of an episode or delivery Bundle (the Patient's clinic identifier).
 * @param bundle - a mapped Bundle
 * @param clinicId - the clinic
 */
export function patientIdOf(bundle: Bundle, clinicId: string): string | undefined {
  const patient = (bundle.entry ?? []).find((e) => e.resource?.resourceType === 'Patient')?.resource;
  return patient ? clinicIdentifierValue(patient, clinicId) : undefined;
}

/**
 * Issues the view link that goes with a prescriber delivery: one patient of one clinic, `days` days (the service's
 * `viewLinkDays` by default), audited as made by `prescriber-delivery`.
 * @param links - the link store
 * @param request - clinic, patient, the service's public URL, the link's life
 */
export async function prescriberViewLink(
  links: ViewLinkStore,
  request: { clinicId: string; patientId: string; publicUrl?: string; days: number; requestId?: string }
): Promise<IssuedLink> {
  const created = await links.create({ clinicId: request.clinicId, patientId: request.patientId }, request.days, 'prescriber-delivery', request.requestId);
  return { linkId: created.linkId, ...linkLocation(created.token, request.publicUrl), createdAt: created.createdAt, expiresAt: created.expiresAt };
}

/** What the service adds to a prescriber's Bundle before it is queued (queues/sync-engine.ts `prescriberBundle`). */
export type PrescriberBundleDecorator = (clinicId: string, bundle: Bundle, requestId?: string) => Promise<Bundle>;

/**
 * Sends the view link with each prescriber delivery: a link for the delivery's patient (one per submission) goes as a
 * DocumentReference of its own (`text/html` at the link's URL, titled with its expiry, identifier
 * `<summary identifier>-web-view`, `relatesTo` appends → the session's summary DocumentReference). The summary itself
 * is left as the EHR gets it: an EHR and a prescriber endpoint on one server must not overwrite each other's copy.
 * A Bundle without a Patient of the clinic or without a summary goes as it is (no link issued).
 * @param links - the link store
 * @param settings - the service's public URL and the link's life in days
 */
export function withViewLink(links: ViewLinkStore, settings: { publicUrl?: string; days: number }): PrescriberBundleDecorator {
  // One link per patient per submission (its request id): an episode's dosing sessions share it, so a backfill of
  // a hundred sessions issues one link, not a hundred. Kept a minute at most, for the submission being enqueued.
  const issued = new Map<string, { at: number; link: Promise<IssuedLink> }>();
  const linkFor = (clinicId: string, patientId: string, requestId: string | undefined): Promise<IssuedLink> => {
    const now = Date.now();
    for (const [key, value] of issued) {
      if (now - value.at > 60_000 || issued.size > 1000) {
        issued.delete(key);
      }
    }
    const key = requestId === undefined ? undefined : JSON.stringify([clinicId, patientId, requestId]);
    const known = key === undefined ? undefined : issued.get(key);
    if (known) {
      return known.link;
    }
    const link = prescriberViewLink(links, { clinicId, patientId, publicUrl: settings.publicUrl, days: settings.days, requestId });
    if (key !== undefined) {
      issued.set(key, { at: now, link });
      link.catch(() => issued.delete(key));
    }
    return link;
  };
  return async (clinicId, bundle, requestId) => {
    const patientId = patientIdOf(bundle, clinicId);
    const entries = bundle.entry ?? [];
    // the session summary's DocumentReference (LOINC 11506-3), not the REMS record's PDF
    const summary = entries.find(
      (e) => e.resource?.resourceType === 'DocumentReference' && (e.resource.type?.coding ?? []).some((c) => c.code === '11506-3')
    );
    const reference = summary?.resource as DocumentReference | undefined;
    const identifier = reference?.identifier?.[0];
    if (!patientId || !summary?.fullUrl || !reference || !identifier?.value) {
      return bundle;
    }
    const link = await linkFor(clinicId, patientId, requestId);
    const webView: DocumentReference = {
      resourceType: 'DocumentReference',
      identifier: [{ ...identifier, value: `${identifier.value}-web-view` }],
      status: 'current',
      ...(reference.type ? { type: reference.type } : {}),
      subject: reference.subject,
      date: link.createdAt,
      description: 'Web view of this patient\'s record (time-limited link)',
      relatesTo: [{ code: 'appends', target: { reference: summary.fullUrl } }],
      content: [{ attachment: { contentType: 'text/html', url: link.url, title: `Web view (link expires ${link.expiresAt})` } }],
      ...(reference.context ? { context: reference.context } : {}),
    };
    const last = entries.at(-1);
    const added = transactionEntry(webView);
    return {
      ...bundle,
      entry: last?.resource?.resourceType === 'Provenance' ? [...entries.slice(0, -1), added, last] : [...entries, added],
    };
  };
}

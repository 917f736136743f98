/**
 * The web view of issue 14, for the clinic and for an outside prescriber.
 *
 * Clinic (mounted under `/v1`, after authentication, `requireClinic`):
 * - `GET /v1/patients/{patientId}/view` — the patient's page (HTML);
 * - `GET /v1/patients/{patientId}/episodes/{episodeId}/sessions/{sessionId}/summary.pdf` — a session's document;
 * - `GET /v1/patients/{patientId}/episodes/{episodeId}/sessions/{sessionId}/rems.pdf` — an esketamine session's
 *   Spravato REMS monitoring record (PDF);
 * - `GET /v1/patients/{patientId}/episodes/{episodeId}/summary.pdf` — the episode summary (PDF), and
 *   `GET /v1/patients/{patientId}/episodes/{episodeId}/summary` — the same as a FHIR document Bundle
 *   (`application/fhir+json`, whatever the Accept header);
 * - `POST /v1/patients/{patientId}/links` `{ "days": 1–30 }` (optional; default `viewLinkDays`) → 201 a link for a
 *   prescriber: `{ linkId, url, path, createdAt, expiresAt }`, the URL `/view/<token>`;
 * - `GET /v1/links/{linkId}`, `DELETE /v1/links/{linkId}` (revoke), `GET /v1/links/{linkId}/audit`.
 * A patient or link of another clinic is a 404, exactly as one that does not exist.
 *
 * Prescriber (public, mounted at `/view`; the token is the credential):
 * - `GET /view/{token}`, `GET /view/{token}/episodes/{episodeId}/sessions/{sessionId}/summary.pdf`,
 *   `GET /view/{token}/episodes/{episodeId}/sessions/{sessionId}/rems.pdf` and
 *   `GET /view/{token}/episodes/{episodeId}/summary.pdf` (the episode summary; its FHIR form is the clinic's).
 * An unknown, expired or revoked token gets the same 404 page, with no hint of which; every use of a known link is
 * in its audit log, and every use (known or not) is a log line with ids and the outcome only.
 *
 * Pages and documents: strict CSP (view-style.ts), `Cache-Control: no-store`, `Referrer-Policy: no-referrer`
 * (the token never leaves in a Referer), `X-Robots-Tag: noindex`.
 */
import { Router, type Request, type Response } from 'express';
import { FHIR_ID } from '../../fhir-id.js';
import { hasRemsRecord } from '../../summary/has-rems-record.js';
import { httpError } from '../../http-outcomes.js';
import { log } from '../../log.js';
import { caller, context } from '../request-context.js';
import { MAX_LINK_DAYS } from './link-store.js';
import { readPatientRecord, type PatientRecord } from './patient-record.js';
import { linkLocation } from './prescriber-link.js';
import { renderLinkRefused, renderPatientView, type RenderOptions } from './render-view.js';
import type { ViewDeps } from './view-deps.js';
import { VIEW_CSP } from './view-style.js';

/** Headers of every page and document of the view. */
function privateHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', VIEW_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
}

function sendPage(res: Response, status: number, html: string): void {
  privateHeaders(res);
  res.status(status).type('text/html; charset=utf-8').send(html);
}

const notFound = (): Error => httpError(404, 'not-found', 'Not found');

/** A path id (patient, episode, session) of the FHIR id pattern, else a 404 (never echoed). */
function pathId(value: string): string {
  if (!FHIR_ID.test(value)) {
    throw notFound();
  }
  return value;
}

/** The session of a record, or undefined. */
function findSession(record: PatientRecord, episodeId: string, sessionId: string) {
  return record.episodes.find((e) => e.episodeId === episodeId)?.sessions.find((s) => s.sessionId === sessionId);
}

/** Sends a PDF (no PHI in the file name: ids only). */
function sendPdfBytes(res: Response, fileName: string, pdf: Uint8Array): void {
  privateHeaders(res);
  res.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
  res.status(200).type('application/pdf').send(Buffer.from(pdf));
}

/** Sends an episode's summary PDF; false when the record has no such episode (or no dosing session). */
async function sendEpisodePdf(deps: ViewDeps, res: Response, record: PatientRecord, episodeId: string): Promise<boolean> {
  const episode = record.episodes.find((e) => e.episodeId === episodeId);
  if (!deps.documents || !episode?.mapped || episode.sessions.length === 0) {
    return false;
  }
  sendPdfBytes(res, `episode-summary-${episodeId}.pdf`, await deps.documents.episodePdf(episode.mapped.bundle, record.clinicId, record.safety));
  return true;
}

/** Sends a session's REMS record PDF; false when the session has none (not esketamine, not given) or is unknown. */
async function sendRemsPdf(deps: ViewDeps, res: Response, record: PatientRecord, episodeId: string, sessionId: string): Promise<boolean> {
  const episode = record.episodes.find((e) => e.episodeId === episodeId);
  const view = episode?.sessions.find((s) => s.sessionId === sessionId);
  const url = episode?.mapped?.doseUrls.get(sessionId);
  if (!deps.documents || !episode?.mapped || !view || !url || !hasRemsRecord(view)) {
    return false;
  }
  sendPdfBytes(res, `rems-record-${sessionId}.pdf`, await deps.documents.remsPdf(episode.mapped.bundle, url, record.safety));
  return true;
}

/** Sends a session's PDF (no PHI in the file name). */
async function sendPdf(deps: ViewDeps, res: Response, record: PatientRecord, episodeId: string, sessionId: string): Promise<boolean> {
  const view = deps.pdf ? findSession(record, episodeId, sessionId) : undefined;
  if (!view || !deps.pdf) {
    return false;
  }
  sendPdfBytes(res, `session-summary-${sessionId}.pdf`, await deps.pdf(view));
  return true;
}

/** The ids a document's path names: the episode, and the session for a session's document. */
interface DocumentIds {
  episodeId: string;
  sessionId?: string;
}

/**
 * The PDFs of a patient's page, each served to the clinic under `/v1/patients/{patientId}` and through a link under
 * `/view/{token}`: its path below either, the name its access is audited under, and how it is sent (false: not there).
 */
const PDF_DOCUMENTS: readonly {
  path: string;
  audit: (ids: DocumentIds) => string;
  send: (deps: ViewDeps, res: Response, record: PatientRecord, ids: DocumentIds) => Promise<boolean>;
}[] = [
  {
    path: '/episodes/:episodeId/sessions/:sessionId/summary.pdf',
    audit: (ids) => `${ids.episodeId}/${ids.sessionId}`,
    send: (deps, res, record, ids) => sendPdf(deps, res, record, ids.episodeId, ids.sessionId as string),
  },
  {
    path: '/episodes/:episodeId/sessions/:sessionId/rems.pdf',
    audit: (ids) => `${ids.episodeId}/${ids.sessionId}/rems`,
    send: (deps, res, record, ids) => sendRemsPdf(deps, res, record, ids.episodeId, ids.sessionId as string),
  },
  {
    path: '/episodes/:episodeId/summary.pdf',
    audit: (ids) => `${ids.episodeId}/summary`,
    send: (deps, res, record, ids) => sendEpisodePdf(deps, res, record, ids.episodeId),
  },
];

/** The document ids of a request's path, or undefined when one is not of the FHIR id pattern. */
function documentIds(params: { episodeId?: string; sessionId?: string }): DocumentIds | undefined {
  const { episodeId, sessionId } = params;
  if (episodeId === undefined || !FHIR_ID.test(episodeId) || (sessionId !== undefined && !FHIR_ID.test(sessionId))) {
    return undefined;
  }
  return sessionId === undefined ? { episodeId } : { episodeId, sessionId };
}

/** Where a page's documents are: under `/v1/patients/{patientId}` or `/view/{token}`. */
function documentHrefs(base: string): { session: (e: string, s: string) => string; rems: (e: string, s: string) => string; episode: (e: string) => string } {
  const episode = (e: string): string => `${base}/episodes/${encodeURIComponent(e)}`;
  return {
    session: (e, s) => `${episode(e)}/sessions/${encodeURIComponent(s)}/summary.pdf`,
    rems: (e, s) => `${episode(e)}/sessions/${encodeURIComponent(s)}/rems.pdf`,
    episode: (e) => `${episode(e)}/summary.pdf`,
  };
}

function renderOptions(deps: ViewDeps, base: string, extra: Partial<RenderOptions> = {}): RenderOptions {
  const href = documentHrefs(base);
  return {
    ...(deps.charts ? { charts: deps.charts } : {}),
    ...(deps.pdf ? { documentHref: href.session } : {}),
    ...(deps.documents ? { remsHref: href.rems, episodeHref: href.episode } : {}),
    ...extra,
  };
}

/** The requested link life in days: the body's `days` (1–30), else the default. */
function linkDays(body: unknown, fallback: number): number {
  const days = (body as { days?: unknown } | undefined)?.days;
  if (days === undefined) {
    return fallback;
  }
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) {
    throw httpError(400, 'invalid', `days must be an integer from 1 to ${MAX_LINK_DAYS}`, 'days');
  }
  return days;
}

/** The clinic's routes (mount under `/v1` after authentication and `requireClinic`). */
export function clinicViewRouter(deps: ViewDeps): Router {
  const router = Router();
  const clinicOf = (res: Response): string => caller(res).clinicId as string;
  const patientBase = (patientId: string): string => `/v1/patients/${encodeURIComponent(patientId)}`;

  router.get('/patients/:patientId/view', async (req: Request<{ patientId: string }>, res: Response) => {
    const patientId = pathId(req.params.patientId);
    const record = await readPatientRecord(deps.records, clinicOf(res), patientId);
    if (!record) {
      throw notFound();
    }
    sendPage(res, 200, renderPatientView(record, renderOptions(deps, patientBase(patientId))));
  });

  for (const document of PDF_DOCUMENTS) {
    router.get(`/patients/:patientId${document.path}`, async (req: Request<{ patientId: string; episodeId?: string; sessionId?: string }>, res: Response) => {
      const patientId = pathId(req.params.patientId);
      const ids = documentIds(req.params);
      const record = ids ? await readPatientRecord(deps.records, clinicOf(res), patientId) : undefined;
      if (!ids || !record || !(await document.send(deps, res, record, ids))) {
        throw notFound();
      }
    });
  }

  // The episode summary as a FHIR document Bundle (always application/fhir+json; the PDF is summary.pdf).
  router.get('/patients/:patientId/episodes/:episodeId/summary', async (req: Request<{ patientId: string; episodeId: string }>, res: Response) => {
    const [patientId, episodeId] = [pathId(req.params.patientId), pathId(req.params.episodeId)];
    const record = await readPatientRecord(deps.records, clinicOf(res), patientId);
    const episode = record?.episodes.find((e) => e.episodeId === episodeId);
    if (!record || !deps.documents || !episode?.mapped || episode.sessions.length === 0) {
      throw notFound();
    }
    const document = deps.documents.episodeDocument(episode.mapped.bundle, record.clinicId, record.safety, episode.version);
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).type('application/fhir+json').send(JSON.stringify(document));
  });

  router.post('/patients/:patientId/links', async (req: Request<{ patientId: string }>, res: Response) => {
    const patientId = pathId(req.params.patientId);
    const days = linkDays(req.body, deps.defaultDays);
    const clinicId = clinicOf(res);
    // A link only for a patient the clinic has: the same 404 as for another clinic's patient.
    const record = await readPatientRecord(deps.records, clinicId, patientId);
    if (!record) {
      throw notFound();
    }
    const requestId = context(res).requestId;
    const created = await deps.links.create({ clinicId, patientId }, days, 'clinic', requestId);
    const where = linkLocation(created.token, deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    log.info({ requestId, clinicId, linkId: created.linkId, days }, 'view link created');
    res.setHeader('Location', `/v1/links/${created.linkId}`);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ linkId: created.linkId, url: where.url, path: where.path, createdAt: created.createdAt, expiresAt: created.expiresAt });
  });

  router.get('/links/:linkId', async (req: Request<{ linkId: string }>, res: Response) => {
    const link = await deps.links.get(clinicOf(res), req.params.linkId);
    if (!link) {
      throw notFound();
    }
    res.json(link);
  });

  router.delete('/links/:linkId', async (req: Request<{ linkId: string }>, res: Response) => {
    const requestId = context(res).requestId;
    const link = await deps.links.revoke(clinicOf(res), req.params.linkId, requestId);
    if (!link) {
      throw notFound();
    }
    log.info({ requestId, clinicId: clinicOf(res), linkId: link.linkId }, 'view link revoked');
    res.json(link);
  });

  router.get('/links/:linkId/audit', async (req: Request<{ linkId: string }>, res: Response) => {
    const entries = await deps.links.audit(clinicOf(res), req.params.linkId);
    if (!entries) {
      throw notFound();
    }
    res.json({ linkId: req.params.linkId, entries });
  });

  return router;
}

/** The prescriber's routes (mount at `/view`, before authentication: the token is the credential). */
export function publicViewRouter(deps: ViewDeps): Router {
  const router = Router();

  /** The record a token opens, or undefined (refused: the caller answers the one refusal page). */
  const open = async (req: Request<{ token: string }>, res: Response, resource: 'view' | 'pdf', document?: string): Promise<{ record: PatientRecord; expiresAt: string } | undefined> => {
    const requestId = context(res).requestId;
    const r = await deps.links.resolve(req.params.token, { resource, requestId, ...(document ? { document } : {}) });
    log.info({ requestId, linkId: r.linkId, outcome: r.outcome, resource }, 'view link access');
    if (r.outcome !== 'allowed') {
      return undefined;
    }
    const record = await readPatientRecord(deps.records, r.scope.clinicId, r.scope.patientId);
    return record ? { record, expiresAt: r.expiresAt } : undefined;
  };

  router.get('/:token', async (req: Request<{ token: string }>, res: Response) => {
    const opened = await open(req, res, 'view');
    if (!opened) {
      sendPage(res, 404, renderLinkRefused());
      return;
    }
    sendPage(res, 200, renderPatientView(opened.record, renderOptions(deps, `/view/${req.params.token}`, { linkExpiresAt: opened.expiresAt })));
  });

  for (const document of PDF_DOCUMENTS) {
    router.get(`/:token${document.path}`, async (req: Request<{ token: string; episodeId?: string; sessionId?: string }>, res: Response) => {
      const ids = documentIds(req.params);
      const opened = ids ? await open(req, res, 'pdf', document.audit(ids)) : undefined;
      if (!ids || !opened || !(await document.send(deps, res, opened.record, ids))) {
        sendPage(res, 404, renderLinkRefused());
      }
    });
  }

  return router;
}

/**
 * The web view over HTTP: the real service on port 0 with real Redis (its own key prefix, removed after) and the
 * sandbox EHR (test/integration/api-harness.ts). Clinic access, tenancy, signed links (allowed, expired, revoked,
 * unknown, another clinic's), the audit log, the page's headers, and what Redis keeps of a link.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { extractText, getDocumentProxy } from 'unpdf';
import { exampleEpisodes, startApiHarness, type ApiHarness } from '../../../test/integration/api-harness.js';
import { TEST_REDIS } from '../../../test/integration/helpers/redis.js';
import type { AuditEntry } from './link-store.js';

let h: ApiHarness;
let redis: Redis;

/** The esketamine example: 4 dosing sessions of 56 and 84 mg. */
const [, ESKETAMINE] = exampleEpisodes().find(([n]) => n === 'esketamine-mdd.json') as [string, Record<string, unknown>];
const PATIENT = (ESKETAMINE.patient as { id: string }).id;

interface Issued {
  linkId: string;
  url: string;
  path: string;
  createdAt: string;
  expiresAt: string;
}

async function issue(as: 'a' | 'b' = 'a', json: unknown = {}): Promise<Response> {
  return h.call(`/v1/patients/${PATIENT}/links`, { method: 'POST', as, json });
}

async function issued(json: unknown = {}): Promise<Issued> {
  const res = await issue('a', json);
  expect(res.status).toBe(201);
  return (await res.json()) as Issued;
}

/** The text of a PDF answer. */
async function pdfText(res: Response): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
  const { text } = await extractText(doc, { mergePages: true });
  return text;
}

/** The document paths of a page, by link class (`document`: the session summaries). */
function documentLinks(html: string, kind: 'document' | 'rems-document' | 'episode-document' = 'document'): string[] {
  return [...html.matchAll(new RegExp(`<a class="${kind}" href="([^"]+)"`, 'g'))].map((m) =>
    (m[1] as string).replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))
  );
}

async function audit(linkId: string, as: 'a' | 'b' = 'a'): Promise<AuditEntry[]> {
  const res = await h.call(`/v1/links/${linkId}/audit`, { as });
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: AuditEntry[] }).entries;
}

beforeAll(async () => {
  h = await startApiHarness();
  redis = new Redis(TEST_REDIS);
  const res = await h.call('/v1/episodes', { method: 'POST', json: ESKETAMINE });
  expect(res.status).toBe(202);
});

afterAll(async () => {
  redis?.disconnect();
  await h?.close();
});

describe('clinic access', () => {
  test('the clinic opens its patient: 200 HTML with the doses, vitals, scores and signals', async () => {
    const res = await h.call(`/v1/patients/${PATIENT}/view`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html.match(/<section class="session"/g)).toHaveLength(4);
    expect(html).toContain('56 mg');
    expect(html).toContain('84 mg');
    expect(html).toContain('<table class="vitals"');
    expect(html).toContain('data-instrument="phq9"');
    // The charts: SVG images with their text alternative.
    expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+"/);
  });

  test("a session's summary PDF: the dose in its text; another clinic or an unknown session → 404", async () => {
    const html = await (await h.call(`/v1/patients/${PATIENT}/view`)).text();
    const links = documentLinks(html);
    expect(links).toHaveLength(4);
    expect(links[0]).toMatch(/^\/v1\/patients\/pt-3310\/episodes\/ep-3310\/sessions\/[^/]+\/summary\.pdf$/);
    const res = await h.call(links[0] as string);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).not.toContain(PATIENT);
    expect(await pdfText(res)).toContain('56 mg');
    expect((await h.call(links[0] as string, { as: 'b' })).status).toBe(404);
    expect((await h.call(`/v1/patients/${PATIENT}/episodes/ep-3310/sessions/nope/summary.pdf`)).status).toBe(404);
  });

  test('the episode summary: linked from the page; the PDF holds every session; the FHIR document; another clinic → 404', async () => {
    const html = await (await h.call(`/v1/patients/${PATIENT}/view`)).text();
    const [link, ...more] = documentLinks(html, 'episode-document');
    expect(more).toEqual([]);
    expect(link).toBe(`/v1/patients/${PATIENT}/episodes/ep-3310/summary.pdf`);
    const res = await h.call(link as string);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="episode-summary-ep-3310.pdf"');
    const text = (await pdfText(res)).replace(/\s+/g, ' ');
    expect(text).toContain('Episode ep-3310: 4 dosing sessions (4 given)');
    expect(text).toContain('56 mg');
    expect(text).toContain('84 mg');
    expect((await h.call(link as string, { as: 'b' })).status).toBe(404);
    expect((await h.call(`/v1/patients/${PATIENT}/episodes/ep-nope/summary.pdf`)).status).toBe(404);
    expect((await h.call(link as string, { as: 'none' })).status).toBe(401);

    const fhir = await h.call(`/v1/patients/${PATIENT}/episodes/ep-3310/summary`);
    expect(fhir.status).toBe(200);
    expect(fhir.headers.get('content-type')).toContain('application/fhir+json');
    const bundle = (await fhir.json()) as { type: string; entry: { resource: { resourceType: string; meta?: { profile?: string[] }; section?: { code?: { coding?: { code?: string }[] }; entry?: unknown[] }[] } }[] };
    expect(bundle.type).toBe('document');
    const composition = bundle.entry[0]?.resource;
    expect(composition?.meta?.profile).toEqual(['https://kap-fhir.org/fhir/StructureDefinition/kap-episode-summary']);
    expect(composition?.section?.find((x) => x.code?.coding?.[0]?.code === 'dosing-sessions')?.entry).toHaveLength(4);
    expect((await h.call(`/v1/patients/${PATIENT}/episodes/ep-3310/summary`, { as: 'b' })).status).toBe(404);
  });

  test("each esketamine session's REMS record PDF: linked beside its summary; another clinic or an unknown session → 404", async () => {
    const html = await (await h.call(`/v1/patients/${PATIENT}/view`)).text();
    // one link in the timeline, one in the session's section
    const rems = [...new Set(documentLinks(html, 'rems-document'))];
    expect(documentLinks(html, 'rems-document')).toHaveLength(8);
    expect(rems).toHaveLength(4);
    expect(rems[0]).toMatch(/^\/v1\/patients\/pt-3310\/episodes\/ep-3310\/sessions\/[^/]+\/rems\.pdf$/);
    const res = await h.call(rems[0] as string);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).not.toContain(PATIENT);
    const text = (await pdfText(res)).replace(/\s+/g, ' ');
    expect(text).toContain('Record complete');
    expect(text).toContain('56');
    expect((await h.call(rems[0] as string, { as: 'b' })).status).toBe(404);
    expect((await h.call(`/v1/patients/${PATIENT}/episodes/ep-3310/sessions/nope/rems.pdf`)).status).toBe(404);
  });

  test('another clinic, an unknown patient, a malformed id → 404', async () => {
    expect((await h.call(`/v1/patients/${PATIENT}/view`, { as: 'b' })).status).toBe(404);
    expect((await h.call('/v1/patients/pt-nobody/view')).status).toBe(404);
    expect((await h.call('/v1/patients/a%20b/view')).status).toBe(404);
    expect((await h.call(`/v1/patients/${PATIENT}/view`, { as: 'none' })).status).toBe(401);
  });
});

describe('signed links', () => {
  test('a link opens the patient without credentials; its URL holds no id; Redis keeps no token and no clear patient id', async () => {
    const link = await issued();
    expect(link.path).toMatch(/^\/view\/[A-Za-z0-9_-]{43}$/);
    expect(link.url.endsWith(link.path)).toBe(true);
    expect(link.url).not.toContain(PATIENT);
    expect(link.url).not.toContain('clinic');
    expect(Date.parse(link.expiresAt) - Date.parse(link.createdAt)).toBe(7 * 24 * 3600 * 1000);

    const res = await fetch(`${h.url}${link.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html.match(/<section class="session"/g)).toHaveLength(4);
    expect(html).toContain('This link expires');
    const docs = documentLinks(html);
    expect(docs).toHaveLength(4);
    expect(docs[1]?.startsWith(`${link.path}/episodes/ep-3310/sessions/`)).toBe(true);
    const pdf = await fetch(`${h.url}${docs[1] as string}`);
    expect(pdf.status).toBe(200);
    expect(await pdfText(pdf)).toContain('84 mg');
    const session = (docs[1] as string).split('/').at(-2);
    expect((await audit(link.linkId)).map((e) => [e.event, e.outcome ?? null, e.resource ?? null, e.document ?? null])).toEqual([
      ['created', null, null, null],
      ['access', 'allowed', 'view', null],
      ['access', 'allowed', 'pdf', `ep-3310/${session}`],
    ]);

    // the episode summary and a REMS record through the link, audited as documents of the link
    const [episodeDoc] = documentLinks(html, 'episode-document');
    expect(episodeDoc).toBe(`${link.path}/episodes/ep-3310/summary.pdf`);
    const episodePdf = await fetch(`${h.url}${episodeDoc as string}`);
    expect(episodePdf.status).toBe(200);
    expect(await pdfText(episodePdf)).toContain('Episode ep-3310');
    const rems = [...new Set(documentLinks(html, 'rems-document'))];
    expect(rems).toHaveLength(4);
    expect(rems[1]).toBe(`${link.path}/episodes/ep-3310/sessions/${session as string}/rems.pdf`);
    const remsPdf = await fetch(`${h.url}${rems[1] as string}`);
    expect(remsPdf.status).toBe(200);
    expect(remsPdf.headers.get('content-type')).toBe('application/pdf');
    expect((await fetch(`${h.url}${link.path}/episodes/ep-3310/sessions/nope/rems.pdf`)).status).toBe(404);
    expect((await audit(link.linkId)).slice(3).map((e) => [e.event, e.outcome ?? null, e.resource ?? null, e.document ?? null])).toEqual([
      ['access', 'allowed', 'pdf', 'ep-3310/summary'],
      ['access', 'allowed', 'pdf', `ep-3310/${session as string}/rems`],
      ['access', 'allowed', 'pdf', 'ep-3310/nope/rems'],
    ]);

    const token = link.path.slice('/view/'.length);
    const keys = await redis.keys(`${h.prefix}:api:view-*`);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) {
      expect(key).not.toContain(token);
      const type = await redis.type(key);
      const values = type === 'hash' ? Object.values(await redis.hgetall(key)) : type === 'list' ? await redis.lrange(key, 0, -1) : [await redis.get(key)];
      for (const v of values) {
        expect(v).not.toContain(token);
        expect(v).not.toContain(PATIENT);
      }
      // Cleaned up by TTL: the link's life plus the retention (30 days).
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(36 * 24 * 3600 * 1000);
      expect(ttl).toBeLessThanOrEqual(37 * 24 * 3600 * 1000);
    }
  });

  test('days: 1–30 accepted, others 400; another clinic cannot link the patient (404)', async () => {
    const one = await issued({ days: 30 });
    expect(Date.parse(one.expiresAt) - Date.parse(one.createdAt)).toBe(30 * 24 * 3600 * 1000);
    for (const days of [0, 31, 2.5, '7']) {
      expect((await issue('a', { days })).status).toBe(400);
    }
    expect((await issue('b')).status).toBe(404);
  });

  test('an expired link → 404 page with no hint, audited as expired', async () => {
    const link = await issued();
    await redis.hset(`${h.prefix}:api:view-link:${link.linkId}`, 'expiresAt', String(Date.now() - 1000));
    const res = await fetch(`${h.url}${link.path}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('This link is not available');
    expect(html).not.toMatch(/expired|revoked/i);
    const entries = await audit(link.linkId);
    expect(entries.map((e) => [e.event, e.outcome])).toEqual([['created', undefined], ['access', 'expired']]);
  });

  test('a revoked link → 404, the same page; revoke is audited and idempotent', async () => {
    const link = await issued();
    expect((await fetch(`${h.url}${link.path}`)).status).toBe(200);
    const del = await h.call(`/v1/links/${link.linkId}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { revokedAt?: string }).revokedAt).toBeDefined();
    expect((await h.call(`/v1/links/${link.linkId}`, { method: 'DELETE' })).status).toBe(200);
    const refused = await fetch(`${h.url}${link.path}`);
    expect(refused.status).toBe(404);
    const unknown = await fetch(`${h.url}/view/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await refused.text()).toBe(await unknown.text());
    const entries = await audit(link.linkId);
    expect(entries.map((e) => [e.event, e.outcome ?? null, e.by])).toEqual([
      ['created', null, 'clinic'],
      ['access', 'allowed', 'link'],
      ['revoked', null, 'clinic'],
      ['access', 'revoked', 'link'],
    ]);
    for (const e of entries) {
      expect(e.linkId).toBe(link.linkId);
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      expect(JSON.stringify(e)).not.toContain(PATIENT);
    }
  });

  test("another clinic's link: clinic b can neither read, audit nor revoke it (404); it still works", async () => {
    const link = await issued();
    expect((await h.call(`/v1/links/${link.linkId}`, { as: 'b' })).status).toBe(404);
    expect((await h.call(`/v1/links/${link.linkId}/audit`, { as: 'b' })).status).toBe(404);
    expect((await h.call(`/v1/links/${link.linkId}`, { as: 'b', method: 'DELETE' })).status).toBe(404);
    expect((await h.call('/v1/links/vl-00000000000000000000000000000000')).status).toBe(404);
    expect((await fetch(`${h.url}${link.path}`)).status).toBe(200);
    expect((await h.call(`/v1/links/${link.linkId}`)).status).toBe(200);
  });

  test('malformed tokens → 404 without touching a link', async () => {
    for (const path of [
      '/view/short',
      `/view/${'A'.repeat(44)}`,
      '/view/%2e%2e',
      `/view/${'A'.repeat(43)}/episodes/x/sessions/y/summary.pdf`,
      `/view/${'A'.repeat(43)}/episodes/x/sessions/y/rems.pdf`,
      `/view/${'A'.repeat(43)}/episodes/x/summary.pdf`,
    ]) {
      expect((await fetch(`${h.url}${path}`)).status).toBe(404);
    }
  });
});

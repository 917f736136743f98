/**
 * The web view in the real Chromium (playwright-core driving /usr/bin/chromium, as docs-and-queues.test.ts): the
 * real service with real Redis and the sandbox EHR; every example episode is posted, then its patient's page is
 * opened as the clinic (its API key as a Bearer header) and through a signed link (no credential), at phone width.
 * The page's figures are checked against the example's own JSON (doses, statuses, vitals, score totals) and its
 * mapped signals; expired, revoked and other-clinic links are refused; screenshots go to build/screenshots/
 * (`KAP_SCREENSHOTS_DIR` to change), one of them committed as docs/screenshots/web-view.png.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { exampleEpisodes, startApiHarness, type ApiHarness } from '../integration/api-harness.js';
import { TEST_REDIS } from '../integration/helpers/redis.js';
import { REPO_ROOT } from '../integration/helpers/sandbox.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As docs-and-queues.test.ts: without Chromium a developer's run skips with a notice; CI fails instead. */
const HAVE_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!HAVE_BROWSER) {
  process.stderr.write(`test/e2e: ${CHROMIUM} is missing, browser test skipped (apt-get install -y chromium)\n`);
}
const SHOTS = process.env.KAP_SCREENSHOTS_DIR ?? join(REPO_ROOT, 'build', 'screenshots');
/** A phone (iPhone 12-15 CSS pixels). */
const PHONE = { width: 390, height: 844 };

let h: ApiHarness;
let redis: Redis;
let browser: Browser;
let asClinic: BrowserContext;
let asPrescriber: BrowserContext;

type Episode = Record<string, unknown> & { id: string; patient: { id: string }; sessions: Record<string, unknown>[] };

/** What the page must show for an example, read from the example's JSON (not from the code under test). */
interface Expected {
  patientId: string;
  sessions: { id: string; status: string; dose: string; vitals: string[] }[];
  /** Per instrument: the totals, and how many results have an unanswered item (a "not scored" row each). */
  scores: { instrument: string; totals: string[]; unscored: number }[];
  /** How many C-SSRS screener results the example has (a row each in the suicide risk table). */
  cssrs: number;
  signals: string[];
}

const STATUS = { given: 'Given', held: 'Held', partial: 'Partly given', refused: 'Refused' } as Record<string, string>;
/** Scored items (by link id, or the first N of a positional answer array) and the maximum total. */
const ITEMS: Record<string, [RegExp, number, number]> = {
  phq9: [/^phq9-[1-9]$/, 9, 27],
  gad7: [/^gad7-[1-7]$/, 7, 21],
  pcl5: [/^pcl5-([1-9]|1\d|20)$/, 20, 80],
};

/**
 * The total of a result's scored items, or undefined when one is unanswered (`null` or absent): such a result has no
 * total (e.g. a PHQ-9 with item 9 left blank), so the page's score table shows it as a "not scored" row.
 */
function total(answers: Record<string, number | null> | (number | null)[], item: RegExp, items: number): number | undefined {
  const scored = Array.isArray(answers) ? answers.slice(0, items) : Object.entries(answers).filter(([k]) => item.test(k)).map(([, v]) => v);
  if (scored.length < items || scored.some((v) => v === null)) {
    return undefined;
  }
  return (scored as number[]).reduce((a, v) => a + v, 0);
}

function expected(episode: Episode, clinicId: string): Expected {
  const sessions = episode.sessions
    .filter((s) => s.kind === 'dosing')
    .map((s) => {
      const dose = s.dose as { unit: string; value: number };
      const vitals = ((s.vitals as Record<string, unknown>[] | undefined) ?? [])
        .filter((v) => ['blood-pressure', 'heart-rate', 'respiratory-rate', 'oxygen-saturation'].includes(v.kind as string))
        .map((v) => (v.kind === 'blood-pressure' ? `${String(v.systolic)}/${String(v.diastolic)}` : String(v.value)));
      return { id: s.id as string, status: STATUS[(s.doseStatus as string | undefined) ?? 'given'] as string, dose: `${dose.value} ${dose.unit}`, vitals };
    });
  const results = (episode.questionnaires as { instrument: string; answers: Record<string, number | null> | (number | null)[] }[] | undefined) ?? [];
  const scores = Object.entries(ITEMS)
    .map(([instrument, [item, items, max]]) => {
      const all = results.filter((q) => q.instrument === instrument).map((q) => total(q.answers, item, items));
      return {
        instrument,
        totals: all.filter((t): t is number => t !== undefined).map((t) => `${t} / ${max}`),
        unscored: all.filter((t) => t === undefined).length,
      };
    })
    .filter((s) => s.totals.length + s.unscored > 0);
  const cssrs = results.filter((q) => q.instrument.startsWith('cssrs-')).length;
  const parsed = parseEpisode(episode);
  if (!parsed.ok) {
    throw new Error(`example ${episode.id} does not parse`);
  }
  const signals = mapClinicEpisode(parsed.episode, clinicId)
    .signals.filter((r) => r.resourceType === 'DetectedIssue')
    .map((r) => (r.resourceType === 'DetectedIssue' ? (r.code?.coding?.[0]?.display ?? '') : ''));
  return { patientId: episode.patient.id, sessions, scores, cssrs, signals };
}

/** Checks the page against what the example says. */
async function checkPage(page: Page, want: Expected): Promise<void> {
  expect(await page.locator('section.session').count()).toBe(want.sessions.length);
  expect(await page.locator('table.timeline tbody tr').count()).toBe(want.sessions.length);
  for (const s of want.sessions) {
    const section = page.locator(`section.session[data-session="${s.id}"]`);
    const heading = await section.locator('h2').innerText();
    expect(heading).toContain(s.dose);
    expect(heading).toContain(s.status);
    const row = await page.locator(`table.timeline tr[data-session="${s.id}"]`).innerText();
    expect(row).toContain(s.status);
    const vitals = s.vitals.length > 0 ? await section.locator('table.vitals').innerText() : '';
    for (const v of s.vitals) {
      expect(vitals).toContain(v);
    }
  }
  for (const sc of want.scores) {
    const table = await page.locator(`table.scores[data-instrument="${sc.instrument}"]`).innerText();
    // one row per result: its total, or "not scored" for a result with an unanswered item
    expect(await page.locator(`table.scores[data-instrument="${sc.instrument}"] tbody tr`).count()).toBe(sc.totals.length + sc.unscored);
    expect(await page.locator(`table.scores[data-instrument="${sc.instrument}"] tbody tr.unscored`).count()).toBe(sc.unscored);
    for (const total of sc.totals) {
      expect(table).toContain(total);
    }
    if (sc.unscored > 0) {
      expect(table).toContain('not scored');
    }
  }
  expect(await page.locator('table.suicide-risk tbody tr').count()).toBe(want.cssrs);
  const signals = page.locator('section.episode-signals li');
  expect(await signals.count()).toBe(want.signals.length);
  const text = want.signals.length > 0 ? await page.locator('section.episode-signals').innerText() : '';
  for (const display of want.signals) {
    expect(text).toContain(display);
  }
}

/** Opens a URL; CSP violations and script errors show up as console errors, and there must be none. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; status: number; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') {
      errors.push(m.text());
    }
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(url);
  return { page, status: res?.status() ?? 0, errors };
}

async function newLink(patientId: string, as: 'a' | 'b' = 'a'): Promise<{ linkId: string; path: string; status: number }> {
  const res = await h.call(`/v1/patients/${patientId}/links`, { method: 'POST', as, json: {} });
  return res.status === 201 ? { ...((await res.json()) as { linkId: string; path: string }), status: 201 } : { linkId: '', path: '', status: res.status };
}

const EXAMPLES = exampleEpisodes() as [string, Episode][];

beforeAll(async () => {
  if (!HAVE_BROWSER) {
    return;
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install -y chromium' (.ci/run does)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  h = await startApiHarness();
  redis = new Redis(TEST_REDIS);
  for (const [, episode] of EXAMPLES) {
    expect((await h.call('/v1/episodes', { method: 'POST', json: episode })).status).toBe(202);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  asClinic = await browser.newContext({ viewport: PHONE, extraHTTPHeaders: { authorization: `Bearer ${h.keys.a}` } });
  asPrescriber = await browser.newContext({ viewport: PHONE });
});

afterAll(async () => {
  await asClinic?.close();
  await asPrescriber?.close();
  await browser?.close();
  redis?.disconnect();
  await h?.close();
});

(HAVE_BROWSER ? describe : describe.skip)('web view in Chromium', () => {
  test.each(EXAMPLES)('%s: as the clinic and through a signed link, the page shows the example', async (name, episode) => {
    const want = expected(episode, 'clinic-a');
    const base = name.replace(/\.json$/, '');

    const clinic = await open(asClinic, `${h.url}/v1/patients/${want.patientId}/view`);
    expect(clinic.status).toBe(200);
    await checkPage(clinic.page, want);
    expect(await clinic.page.locator('script').count()).toBe(0);
    await clinic.page.screenshot({ path: join(SHOTS, `view-${base}-clinic.png`), fullPage: true });
    expect(clinic.errors).toEqual([]);
    await clinic.page.close();

    const link = await newLink(want.patientId);
    expect(link.status).toBe(201);
    expect(link.path).not.toContain(want.patientId);
    const prescriber = await open(asPrescriber, `${h.url}${link.path}`);
    expect(prescriber.status).toBe(200);
    await checkPage(prescriber.page, want);
    expect(await prescriber.page.locator('.notice').innerText()).toContain('This link expires');
    // Every session's document opens through the link (a PDF), and the charts are images with their text alternative.
    const documents = await prescriber.page.locator('a.document').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(documents).toHaveLength(want.sessions.length);
    for (const href of documents) {
      const pdf = await asPrescriber.request.get(href);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const charts = prescriber.page.locator('figure img');
    expect(await charts.count()).toBeGreaterThan(0);
    for (const alt of await charts.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt') ?? ''))) {
      expect(alt.length).toBeGreaterThan(10);
    }
    await prescriber.page.screenshot({ path: join(SHOTS, `view-${base}-link.png`), fullPage: true });
    expect(prescriber.errors).toEqual([]);
    await prescriber.page.close();
  });

  test('expired, revoked, unknown and other-clinic links are refused with the same page', async () => {
    const [, episode] = EXAMPLES.find(([n]) => n === 'iv-ketamine-trd.json') as [string, Episode];
    const patientId = episode.patient.id;

    const expired = await newLink(patientId);
    await redis.hset(`${h.prefix}:api:view-link:${expired.linkId}`, 'expiresAt', String(Date.now() - 1));
    const revoked = await newLink(patientId);
    expect((await h.call(`/v1/links/${revoked.linkId}`, { method: 'DELETE' })).status).toBe(200);

    const refusals: string[] = [];
    for (const path of [expired.path, revoked.path, `/view/${'x'.repeat(43)}`]) {
      const r = await open(asPrescriber, `${h.url}${path}`);
      expect(r.status).toBe(404);
      expect(await r.page.locator('h1').innerText()).toBe('This link is not available');
      refusals.push(await r.page.content());
      await r.page.close();
    }
    expect(new Set(refusals).size).toBe(1);

    // Clinic b cannot link clinic a's patient, and a link of clinic b opens clinic b's own record only, even for
    // the same local patient id.
    expect((await newLink(patientId, 'b')).status).toBe(404);
    const [, other] = EXAMPLES.find(([n]) => n === 'urgent-signals.json') as [string, Episode];
    const otherEpisode = { ...other, patient: { ...other.patient, id: patientId } };
    expect((await h.call('/v1/episodes', { method: 'POST', as: 'b', json: otherEpisode })).status).toBe(202);
    const bLink = await newLink(patientId, 'b');
    expect(bLink.status).toBe(201);
    const b = await open(asPrescriber, `${h.url}${bLink.path}`);
    expect(b.status).toBe(200);
    await checkPage(b.page, expected(otherEpisode, 'clinic-b'));
    for (const s of expected(episode, 'clinic-a').sessions) {
      expect(await b.page.locator(`section.session[data-session="${s.id}"]`).count()).toBe(0);
    }
    await b.page.close();
    // Clinic b's credential on clinic a's link audit: 404.
    expect((await h.call(`/v1/links/${revoked.linkId}/audit`, { as: 'b' })).status).toBe(404);
    const audit = (await (await h.call(`/v1/links/${revoked.linkId}/audit`)).json()) as { entries: { event: string; outcome?: string }[] };
    expect(audit.entries.map((e) => e.outcome ?? e.event)).toEqual(['created', 'revoked', 'revoked']);
  });
});

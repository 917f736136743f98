/**
 * Browser test (playwright-core driving Debian's Chromium, /usr/bin/chromium, installed by
 * .ci/run): the real service with real Redis and the sandbox EHR; an episode is posted, then the
 * browser opens /docs (rendered from /openapi.json) and /admin/queues (bull-board, admin key as
 * HTTP Basic password) and finds the episode's job listed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { exampleEpisodes, settleJob, startApiHarness, type ApiHarness } from '../integration/api-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Without Chromium a developer's `npm test` skips this file with a notice; in CI (CI set, as
 * `.ci/run` runs, which installs Chromium) a missing browser fails the run instead.
 */
const HAVE_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!HAVE_BROWSER) {
  process.stderr.write(`test/e2e: ${CHROMIUM} is missing, browser test skipped (apt-get install -y chromium)\n`);
}
let h: ApiHarness;
let context: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  if (!HAVE_BROWSER) {
    return;
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install -y chromium' (.ci/run does)`);
  }
  h = await startApiHarness();
  profileDir = mkdtempSync(join(tmpdir(), 'kap-chromium-'));
  // A fresh profile folder (--user-data-dir): playwright takes it as the persistent context's folder.
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    httpCredentials: { username: 'operator', password: h.keys.admin },
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await context?.close();
  await h?.close();
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
  }
});

(HAVE_BROWSER ? describe : describe.skip)('browser', () => {
  test('/docs lists the API; /admin/queues lists the episode job', async () => {
    const [, episode] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const res = await h.call('/v1/episodes', { method: 'POST', json: episode });
    expect(res.status).toBe(202);
    const { jobIds } = (await res.json()) as { jobIds: string[] };
    const jobId = jobIds.find((j) => j.startsWith('ehr_')) as string;
    expect((await settleJob(h, jobId)).state).toBe('completed');

    const page = await context.newPage();

    await page.goto(`${h.url}/docs`);
    await page.locator('details[data-path="/v1/episodes"][data-method="post"]').waitFor();
    expect(await page.title()).toBe('kap-fhir API');
    expect(await page.locator('details.op').count()).toBeGreaterThan(10);
    await page.locator('#schema-KapEpisode').waitFor();

    await page.goto(`${h.url}/admin/queues/queue/ehr-sync-a-ehr?status=completed`);
    await page.getByText(jobId).first().waitFor({ timeout: 20000 });
    expect(await page.getByText(jobId).count()).toBeGreaterThan(0);
    await page.close();
  });
});

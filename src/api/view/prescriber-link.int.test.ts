/**
 * The link that goes with a prescriber delivery (real Redis, own prefix) and the configuration of the view links:
 * the secret required in production, the default life, the public URL.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../../config/service-config.js';
import { createAtRestCodec } from '../../crypto/at-rest-codec.js';
import { exampleBundle } from '../../summary/__test__/session-view-fixture.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from '../../../test/integration/helpers/redis.js';
import { mapClinicEpisodeWithSummaries } from '../../pipeline/map-clinic-episode.js';
import { parseEpisode } from '../../kap/episode.js';
import { prescriberDeliveries } from '../../sync/prescriber-deliveries.js';
import { readFileSync } from 'node:fs';
import { linkLocation, patientIdOf, prescriberViewLink, withViewLink } from './prescriber-link.js';
import { viewLinkStore } from './view-deps.js';

const prefix = testPrefix();
const dir = mkdtempSync(join(tmpdir(), 'kap-view-'));
let redis: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS);
});

afterAll(async () => {
  redis?.disconnect();
  await cleanupPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('prescriberViewLink', () => {
  test('a delivery Bundle → its patient → a link under the public URL, audited as made by the delivery', async () => {
    const links = viewLinkStore({ viewLinkKey: undefined }, redis, prefix, createAtRestCodec({ current: randomBytes(32) }));
    const patientId = patientIdOf(exampleBundle('iv-ketamine-trd'), 'c1');
    expect(patientId).toBe('pt-0042');
    const link = await prescriberViewLink(links, { clinicId: 'c1', patientId: patientId as string, publicUrl: 'https://kap.example.org/', days: 7 });
    expect(link.url).toBe(`https://kap.example.org${link.path}`);
    expect(link.url).not.toContain('pt-0042');
    const token = link.path.slice('/view/'.length);
    expect(await links.resolve(token, { resource: 'view' })).toMatchObject({ outcome: 'allowed', scope: { clinicId: 'c1', patientId: 'pt-0042' } });
    expect((await links.audit('c1', link.linkId))?.[0]).toMatchObject({ event: 'created', by: 'prescriber-delivery' });
    expect(patientIdOf(exampleBundle('iv-ketamine-trd'), 'other')).toBeUndefined();
  });

  test('withViewLink: each summary DocumentReference of a prescriber Bundle gains the link (text/html), scoped to its patient', async () => {
    const links = viewLinkStore({ viewLinkKey: undefined }, redis, prefix, createAtRestCodec({ current: randomBytes(32) }));
    const parsed = parseEpisode(JSON.parse(readFileSync(new URL('../../../examples/esketamine-mdd.json', import.meta.url), 'utf8')));
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const { bundle } = await mapClinicEpisodeWithSummaries(parsed.episode, 'c1');
    const [delivery] = prescriberDeliveries(bundle, 'c1', { episodeId: parsed.episode.id, version: 1 });
    const decorate = withViewLink(links, { publicUrl: 'https://kap.example.org', days: 7 });
    const sent = await decorate('c1', delivery.bundle);
    const refs = (sent.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === 'DocumentReference');
    expect(refs).toHaveLength(3); // the summary and the REMS record's PDF, as the EHR gets them, and the link beside them
    expect(refs.every((r) => r?.resourceType === 'DocumentReference' && r.content?.length === 1)).toBe(true);
    const web = refs.find((r) => r?.resourceType === 'DocumentReference' && r.content?.[0]?.attachment.contentType === 'text/html');
    const html = web?.resourceType === 'DocumentReference' ? web.content?.[0]?.attachment : undefined;
    expect(web?.resourceType === 'DocumentReference' && web.identifier?.[0]?.value).toMatch(/\/summary-es-02-web-view$/);
    expect(html?.contentType).toBe('text/html');
    expect(html?.url).toMatch(/^https:\/\/kap\.example\.org\/view\/[A-Za-z0-9_-]+$/);
    const token = (html?.url ?? '').slice('https://kap.example.org/view/'.length);
    expect(await links.resolve(token, { resource: 'view' })).toMatchObject({ outcome: 'allowed', scope: { clinicId: 'c1', patientId: parsed.episode.patient.id } });
    // the Bundle as cut is untouched; a Bundle without a summary gets no link
    expect(delivery.bundle.entry?.filter((e) => e.resource?.resourceType === 'DocumentReference')).toHaveLength(2);
    expect(sent.entry?.at(-1)?.resource?.resourceType).toBe('Provenance');
    // one link per patient per submission: the sessions of one request share it, another request gets another
    const urlOf = (b: typeof sent): string | undefined =>
      (b.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'DocumentReference' ? (e.resource.content ?? []) : []))
        .find((c) => c.attachment.contentType === 'text/html')?.attachment.url;
    const [, second] = prescriberDeliveries(bundle, 'c1', { episodeId: parsed.episode.id, version: 1 });
    expect(urlOf(await decorate('c1', delivery.bundle, 'req-1'))).toBe(urlOf(await decorate('c1', second.bundle, 'req-1')));
    expect(urlOf(await decorate('c1', second.bundle, 'req-2'))).not.toBe(urlOf(await decorate('c1', second.bundle, 'req-1')));
    const bare = {
      ...delivery.bundle,
      entry: (delivery.bundle.entry ?? []).filter(
        (e) => e.resource?.resourceType !== 'DocumentReference' || !e.resource.type?.coding?.some((c) => c.code === '11506-3')
      ),
    };
    expect(await decorate('c1', bare)).toBe(bare);
  });

  test('linkLocation: a path alone without a public URL; a base path kept', () => {
    expect(linkLocation('T')).toEqual({ path: '/view/T', url: '/view/T' });
    expect(linkLocation('T', 'https://h.example/kap')).toEqual({ path: '/view/T', url: 'https://h.example/kap/view/T' });
  });
});

describe('configuration', () => {
  const production = { NODE_ENV: 'production', REDIS_URL: 'redis://r:6379', KAP_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const clinics = JSON.stringify({ clinics: [{ id: 'c1' }] });

  test('production refuses to start without KAP_VIEW_LINK_KEY, naming it; a short one is refused', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, clinics);
    expect(() => loadConfig(production, file)).toThrow(ConfigError);
    expect(() => loadConfig(production, file)).toThrow(/KAP_VIEW_LINK_KEY: must be set in production/);
    expect(loadConfig({ ...production, KAP_VIEW_LINK_KEY: 'k'.repeat(32) }, file).viewLinkKey).toBe('k'.repeat(32));
    expect(() => loadConfig({ ...production, KAP_VIEW_LINK_KEY: 'short' }, file)).toThrow(/viewLinkKey/);
  });

  test('link life: 7 days by default, 1–30 from KAP_VIEW_LINK_DAYS; KAP_PUBLIC_URL must be http(s)', () => {
    expect(loadConfig({}).viewLinkDays).toBe(7);
    expect(loadConfig({ KAP_VIEW_LINK_DAYS: '30' }).viewLinkDays).toBe(30);
    expect(() => loadConfig({ KAP_VIEW_LINK_DAYS: '31' })).toThrow(/viewLinkDays/);
    expect(loadConfig({ KAP_PUBLIC_URL: 'https://kap.example.org' }).publicUrl).toBe('https://kap.example.org');
    expect(() => loadConfig({ KAP_PUBLIC_URL: 'ftp://x' })).toThrow(/publicUrl/);
  });
});

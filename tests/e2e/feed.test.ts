/**
 * The personalised feed in the real h5 build, in Chromium: a verified doctor opens two
 * hypertension articles from the feed, reads each for a few seconds and goes back; once the
 * engine has turned those reads into affinity, the reloaded feed leads with the remaining
 * hypertension article, saying 因为你关注「高血压」. Also: an Rx-only article shows its notice to a
 * verified doctor and is explained (not shown) to an unverified one, a favourite made on the
 * article page appears in 我的收藏, and a video reports the seconds watched as its read.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleVideo } from '../../server/src/dev/sampleVideo.js';
import { saveMedia } from '../../server/src/domains/content/mediaStore.js';
import { makeDoctor } from '../../server/test/factories.js';
import { publisher, type Publisher } from '../../server/test/feedSupport.js';
import { startStack, type Stack } from '../../server/test/harness.js';
import { launchBrowser, phonePage } from './browser.js';

const H5_DIR = path.resolve(import.meta.dirname, '../../miniapp/dist/h5');

let stack: Stack;
let browser: Browser;
let pub: Publisher;
const hypertension: string[] = [];
const others: Record<string, string> = {};
let rxArticle: string;
let video: string;

beforeAll(async () => {
  stack = await startStack({ h5Dir: H5_DIR });
  // The browser's clock is real time; let the server's agree so event times are in range.
  stack.clock.ms = Date.now();
  browser = await launchBrowser();
  pub = await publisher(stack);
  for (const [topic, priority] of [['diabetes', 90], ['copd', 70], ['lung_cancer', 60], ['asthma', 60], ['thyroid', 50]] as const) {
    others[topic] = await pub.publish({ title: `${topic} 临床进展`, topics: [topic], priority });
  }
  for (let i = 1; i <= 3; i++) hypertension.push(await pub.publish({ title: `高血压管理要点（${i}）`, topics: ['hypertension'], priority: 20 }));
  rxArticle = await pub.publish({ title: 'ARNI 用药要点', topics: ['heart_failure'], rxOnly: true, priority: 10 });
  // A playable video: the demo's tiny generated MP4 (one second per colour), stored through the media store.
  const name = await saveMedia(stack.deps.pool, stack.config.dataDir, { bytes: sampleVideo(['#1f618d', '#117a65', '#c0392b', '#7d3c98']), ext: 'mp4', width: 64, height: 48, uploadedBy: pub.marketing.id }, stack.clock.now());
  const created = await stack.http.post('/api/admin/content', { type: 'video', title: '专家访谈：房颤抗凝', summary: '四秒样片', videoUrl: `/media/${name}`, topics: ['atrial_fibrillation'], rxOnly: false, priority: 5 }, pub.marketing.token);
  video = created.body.id;
  for (const [action, token] of [['submit', pub.marketing.token], ['approve', pub.medical.token], ['publish', pub.marketing.token]] as const) {
    expect((await stack.http.post(`/api/admin/content/${video}/${action}`, {}, token)).status).toBe(200);
  }
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function eventsOf(hcpId: string, type: string) {
  const [rows] = await stack.deps.pool.query('SELECT props FROM events WHERE hcp_id = ? AND type = ? ORDER BY id', [hcpId, type]);
  return (rows as { props: string }[]).map((r) => JSON.parse(r.props) as Record<string, unknown>);
}

/** Opens an item from the feed, reads it for `ms`, and goes back to 首页. */
async function readFromFeed(page: Page, id: string, title: string, ms: number) {
  await page.locator(`#feed-item-${id}`).click();
  await expect.poll(() => page.locator('#content-title').first().innerText(), { timeout: 15_000 }).toBe(title);
  await page.waitForTimeout(ms);
  await page.goBack();
  await page.locator(`#feed-item-${id}`).waitFor({ timeout: 15_000 });
}

describe('the HCP360 engine from the h5 app', () => {
  it('moves hypertension to the top of a doctor\'s affinities after they read three hypertension articles', async () => {
    stack.clock.ms = Date.now();
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-affinity-${Date.now()}` });
    const staffView = async () => (await stack.http.get(`/api/admin/hcps/${doctor.id}`, pub.marketing.token)).body as { affinities: { topic: string; score: number }[] };
    const readsArrived = (n: number) =>
      expect
        .poll(async () => {
          stack.clock.ms = Date.now();
          return (await eventsOf(doctor.id, 'content_read')).length;
        }, { timeout: 20_000, interval: 500 })
        .toBe(n);
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/index/index`);
    await page.locator('.feed-item').first().waitFor({ timeout: 30_000 });

    // First the doctor reads about diabetes: that is their top topic.
    await readFromFeed(page, others.diabetes!, 'diabetes 临床进展', 3200);
    await readsArrived(1);
    await stack.engine!.tagger.runUntilIdle();
    expect((await staffView()).affinities[0]!.topic).toBe('diabetes');

    for (let i = 0; i < 3; i++) await readFromFeed(page, hypertension[i]!, `高血压管理要点（${i + 1}）`, 3200);
    await readsArrived(4);
    await stack.engine!.tagger.runUntilIdle();
    const after = (await staffView()).affinities;
    expect(after[0]!.topic).toBe('hypertension');
    expect(after[0]!.score).toBeGreaterThan(after.find((a) => a.topic === 'diabetes')!.score);
    await page.close();
  });
});

describe('the feed in the h5 app', () => {
  it('learns from two reads: the reloaded feed leads with the topic read, naming it as the reason', async () => {
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-feed-${Date.now()}` });
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/index/index`);
    await page.locator('.feed-item').first().waitFor({ timeout: 30_000 });
    const firstBefore = await page.locator('.feed-item').first().getAttribute('data-id');
    expect(hypertension).not.toContain(firstBefore);
    expect(await page.locator('.feed-item').count()).toBe(10);

    await readFromFeed(page, hypertension[0]!, '高血压管理要点（1）', 3200);
    await readFromFeed(page, hypertension[1]!, '高血压管理要点（2）', 3200);

    // The SDK sends its queue every few seconds; wait for both reads, then let the engine run.
    await expect
      .poll(async () => {
        stack.clock.ms = Date.now();
        return (await eventsOf(doctor.id, 'content_read')).length;
      }, { timeout: 20_000, interval: 500 })
      .toBe(2);
    const reads = await eventsOf(doctor.id, 'content_read');
    expect(reads.map((r) => r.content_id)).toEqual(hypertension.slice(0, 2));
    for (const r of reads) expect(r.dwell_ms).toBeGreaterThanOrEqual(2500);
    expect((await eventsOf(doctor.id, 'content_view')).map((r) => r.content_id)).toEqual(hypertension.slice(0, 2));
    await stack.engine!.tagger.runUntilIdle();

    await page.reload();
    const first = page.locator('.feed-item').first();
    await first.waitFor({ timeout: 30_000 });
    expect(await first.getAttribute('data-id')).toBe(hypertension[2]);
    expect(await first.locator('.feed-reason').innerText()).toBe('因为你关注「高血压」');
    // What was read went to the bottom.
    const order = await page.locator('.feed-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(order.slice(-2).sort()).toEqual(hypertension.slice(0, 2).sort());
    await page.close();
  });

  it('shows the Rx notice to a verified doctor, who can favourite the article and find it in 我的收藏', async () => {
    stack.clock.ms = Date.now();
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-rx-${Date.now()}` });
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/article/index?id=${rxArticle}`);
    await expect.poll(() => page.locator('#rx-notice').innerText(), { timeout: 30_000 }).toContain('本资料仅供医学药学专业人士阅读');
    await page.locator('#favorite-button').click();
    await expect.poll(() => page.locator('#favorite-button').getAttribute('data-on')).toBe('true');
    await expect
      .poll(async () => {
        stack.clock.ms = Date.now();
        return (await eventsOf(doctor.id, 'content_favorite')).map((e) => [e.content_id, e.on]);
      }, { timeout: 15_000, interval: 500 })
      .toEqual([[rxArticle, true]]);

    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/library/favorites/index`);
    await page.locator(`#library-item-${rxArticle}`).waitFor({ timeout: 30_000 });
    await page.close();
  });

  it('explains to a doctor who is not verified that Rx-only material needs verification', async () => {
    stack.clock.ms = Date.now();
    const doctor = await makeDoctor(stack, { until: 'registered', openid: `e2e-unverified-${Date.now()}` });
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/article/index?id=${rxArticle}`);
    await page.locator('#content-rx-only').waitFor({ timeout: 30_000 });
    expect(await page.locator('#content-rx-only').innerText()).toContain('医师认证');
    expect(await page.locator('#rx-notice').count()).toBe(0);
    await page.locator('#go-verify').click();
    await page.locator('#verification-status').waitFor({ timeout: 15_000 });
    await page.close();
  });

  it('reports the seconds of a video actually watched, and how far, when the doctor leaves', async () => {
    stack.clock.ms = Date.now();
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-video-${Date.now()}` });
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/index/index`);
    await page.locator(`#feed-item-${video}`).click();
    await page.locator('#content-video').waitFor({ timeout: 15_000 });
    await page.locator('#content-video .taro-video-cover-play-button').click();
    await expect.poll(() => page.evaluate(() => document.querySelector('video')?.ended ?? false), { timeout: 15_000 }).toBe(true);
    await page.goBack();
    await page.locator('.feed-item').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => {
        stack.clock.ms = Date.now();
        return (await eventsOf(doctor.id, 'content_read')).length;
      }, { timeout: 20_000, interval: 500 })
      .toBe(1);
    const [watched] = await eventsOf(doctor.id, 'content_read');
    expect(watched).toMatchObject({ content_id: video, scroll_depth: 1 });
    expect(watched!.dwell_ms).toBeGreaterThanOrEqual(3000);
    expect(watched!.dwell_ms).toBeLessThanOrEqual(4500);
    await page.close();
  });
});

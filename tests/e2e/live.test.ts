/**
 * Live streams in the real h5 build, in Chromium: a verified doctor opens 直播, sees the scheduled
 * live stream, opens it (countdown, speakers, reminder note), registers — the page asks for the
 * reminder subscription, which the browser build records in the fake WeChat as tapping 允许 would
 * — and sees 已报名 on the page and the tab. When the reminder job runs before the start, the fake
 * WeChat has received exactly one reminder for that doctor, opening the live page.
 * Also: a poster's scene opens the live detail and the registration is credited to the rep.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveNotices } from '../../server/src/domains/live/notices.js';
import { makeDoctor, makeStaff } from '../../server/test/factories.js';
import { startStack, type Stack } from '../../server/test/harness.js';
import { liveStaff, scheduledLive, type LiveStaff } from '../../server/test/liveSupport.js';
import { choosePickerOption, fillInput } from '../../miniapp/e2e-driver.js';
import { H5_DIR, launchBrowser, phonePage } from './browser.js';

let stack: Stack;
let browser: Browser;
let s: LiveStaff;

beforeAll(async () => {
  stack = await startStack({ h5Dir: H5_DIR });
  // The browser's clock is real time; let the server's agree so event times are in range.
  stack.clock.ms = Date.now();
  browser = await launchBrowser();
  s = await liveStaff(stack);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function registrationOf(liveId: string, hcpId: string) {
  const [rows] = await stack.deps.pool.query('SELECT subscribed, notice_state, via, inviter_rep_id FROM live_registrations WHERE live_id = ? AND hcp_id = ?', [liveId, hcpId]);
  return (rows as any[])[0];
}

describe('live streams in the h5 app', () => {
  it('lets a doctor register from the 直播 tab, and the reminder job sends one reminder through WeChat', async () => {
    stack.clock.ms = Date.now();
    const start = Date.now() + 45 * 60_000;
    const { id } = await scheduledLive(stack, s, { title: '高血压急症的识别与处理', startAt: new Date(start).toISOString(), endAt: new Date(start + 3_600_000).toISOString() });
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-live-${Date.now()}` });

    const page: Page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/lives/index`);
    await page.locator(`#live-item-${id}`).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator(`#live-item-${id}`).innerText()).toContain('已排期');
    await page.locator(`#live-item-${id}`).click();

    await expect.poll(() => page.locator('#live-title').first().innerText(), { timeout: 15_000 }).toBe('高血压急症的识别与处理');
    await expect.poll(() => page.locator('#live-countdown').first().innerText()).toMatch(/^距开播 00:4\d:\d\d$/);
    await expect.poll(() => page.locator('.live-speaker').first().innerText()).toContain('王建国');
    await page.locator('#live-register').first().click();
    await page.locator('#live-registered').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('#live-subscribed').first().innerText()).toBe('已订阅开播提醒');
    expect(await registrationOf(id, doctor.id)).toMatchObject({ subscribed: 1, notice_state: 'pending', via: 'direct' });

    // back on the tab, the card says 已报名
    await page.goBack();
    await page.locator(`#live-registered-${id}`).waitFor({ timeout: 15_000 });

    // the live_register event arrives through the tracking SDK
    await expect
      .poll(
        async () => {
          const [rows] = await stack.deps.pool.query("SELECT props FROM events WHERE hcp_id = ? AND type = 'live_register'", [doctor.id]);
          return (rows as { props: string }[]).map((r) => JSON.parse(r.props).live_id);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual([id]);

    // The job before the reminder time sends nothing; 30 minutes before the start it sends one.
    expect((await runLiveNotices(stack.deps)).sent).toBe(0);
    stack.clock.ms = start - 29 * 60_000;
    expect(await runLiveNotices(stack.deps)).toEqual({ sent: 1, failed: 0, retry: 0 });
    expect(await runLiveNotices(stack.deps)).toEqual({ sent: 0, failed: 0, retry: 0 });
    const sent = ((await stack.fakeCall('GET', '/__fake/sent-messages')).items as any[]).filter((m) => m.touser === doctor.openid);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ template_id: 'hcp360-live-reminder', page: `pages/live/index?id=${id}`, data: { thing1: { value: '高血压急症的识别与处理' } } });
    expect(await registrationOf(id, doctor.id)).toMatchObject({ notice_state: 'sent' });
    stack.clock.ms = Date.now();
    await page.context().close();
  });

  it('opens the live detail from a poster scene and credits the rep with the registration', async () => {
    stack.clock.ms = Date.now();
    const start = Date.now() + 3 * 3_600_000;
    const { id } = await scheduledLive(stack, s, { title: '糖尿病足的早期筛查', topics: ['diabetes'], startAt: new Date(start).toISOString(), endAt: new Date(start + 3_600_000).toISOString() });
    const scene = (await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.sceneToken as string;
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-live-scene-${Date.now()}` });
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/live/index?scene=${encodeURIComponent(scene)}`);
    await expect.poll(() => page.locator('#live-title').first().innerText(), { timeout: 30_000 }).toBe('糖尿病足的早期筛查');
    await page.locator('#live-register').first().click();
    await page.locator('#live-registered').first().waitFor({ timeout: 15_000 });
    expect(await registrationOf(id, doctor.id)).toMatchObject({ via: 'poster', inviter_rep_id: s.rep.id });
    await page.context().close();
  });

  it('opens the app as a rep: launch lands on the rep’s own applications, not the doctor onboarding', async () => {
    stack.clock.ms = Date.now();
    const start = Date.now() + 5 * 3_600_000;
    const { id } = await scheduledLive(stack, s, { title: '代表申请的科室会', startAt: new Date(start).toISOString(), endAt: new Date(start + 3_600_000).toISOString() });
    const admin = await makeStaff(stack, 'admin');
    const openid = `e2e-rep-${Date.now()}`;
    expect((await stack.http.post(`/api/admin/staff/${s.rep.id}/wechat-binding`, { openid }, admin.token)).status).toBe(200);
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${openid}`);
    await page.locator(`#rep-live-${id}`).waitFor({ timeout: 30_000 });
    expect(page.url()).toContain('rep/lives/index');
    await expect.poll(() => page.locator(`#rep-live-${id}`).innerText()).toContain('代表申请的科室会');
    await page.context().close();
  });

  it('keeps a poster’s scene through a new doctor’s onboarding: back on the live page after the profile, the registration credited to the rep', async () => {
    stack.clock.ms = Date.now();
    const start = Date.now() + 4 * 3_600_000;
    const { id } = await scheduledLive(stack, s, { title: '新医生经海报报名', startAt: new Date(start).toISOString(), endAt: new Date(start + 3_600_000).toISOString() });
    const scene = (await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.sceneToken as string;
    const openid = `e2e-live-new-${Date.now()}`;
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${openid}#/pages/live/index?scene=${encodeURIComponent(scene)}`);
    await page.locator('#consent-policy').waitFor({ state: 'attached', timeout: 30_000 });
    await page.check('#consent-policy');
    await page.check('#consent-sensitive');
    await page.locator('#consent-submit').click();
    await page.locator('#profile-name').waitFor({ timeout: 15_000 });
    await fillInput(page, 'profile-name', '周新');
    await fillInput(page, 'profile-hospital', '北京协和医院');
    await choosePickerOption(page, 'profile-hospital-level', '三级甲等');
    await choosePickerOption(page, 'profile-department', '心血管内科');
    await choosePickerOption(page, 'profile-title', '主治医师');
    await choosePickerOption(page, 'profile-province', '北京市');
    await fillInput(page, 'profile-city', '北京');
    await page.locator('#profile-submit').click();
    await expect.poll(() => page.locator('#live-title').first().innerText(), { timeout: 30_000 }).toBe('新医生经海报报名');
    await page.locator('#live-register').first().click();
    await page.locator('#live-registered').first().waitFor({ timeout: 15_000 });
    const [rows] = await stack.deps.pool.query('SELECT r.via, r.inviter_rep_id FROM live_registrations r JOIN wechat_identities w ON w.hcp_id = r.hcp_id WHERE r.live_id = ? AND w.openid = ?', [id, openid]);
    expect((rows as any[])[0]).toMatchObject({ via: 'poster', inviter_rep_id: s.rep.id });
    await page.context().close();
  });
});


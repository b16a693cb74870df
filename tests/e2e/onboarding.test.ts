/**
 * A new doctor's first run in the real h5 build, in Chromium: consent → profile (with a
 * validation message on the way) → verification request → compliance approves through the API
 * → after a refresh the 我的 page shows 已认证.
 */
import { describe, expect, it } from 'vitest';
import { choosePickerOption, fillInput } from '../../miniapp/e2e-driver.js';
import { makeStaff } from '../../server/test/factories.js';
import { phonePage, takeBlocked, useBrowserStack } from './browser.js';

const ctx = useBrowserStack();

const text = (selector: string) => ctx.page.locator(selector).first().innerText();

describe('a new doctor onboards in the h5 app', () => {
  it('loads under the server’s Content-Security-Policy with nothing blocked, sized for the 750px design', async () => {
    // A page of its own: the doctor it signs in as stays out of the onboarding below.
    const page = await phonePage(ctx.browser);
    const res = await page.goto(`${ctx.stack.url}/h5/?openid=e2e-csp-${Date.now()}#/pages/index/index`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('#consent-policy').waitFor({ state: 'attached', timeout: 30_000 });
    expect(takeBlocked()).toEqual([]);
    // rem.js: 1rem = 40 design px, 750 of them across the 390px-wide phone.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(`${(390 / 750) * 40}px`);
    await page.context().close();
  });

  it('consents, completes the profile, asks for verification and sees 已认证 once compliance approves', async () => {
    const { page } = ctx;
    const openid = `e2e-${Date.now()}`;
    await page.goto(`${ctx.stack.url}/h5/?openid=${openid}#/pages/index/index`);

    // First run: the consent page, with the submit button disabled until both boxes are ticked.
    await page.locator('#consent-policy').waitFor({ state: 'attached', timeout: 30_000 });
    await page.check('#consent-policy');
    await page.check('#consent-sensitive');
    await page.locator('#consent-submit').click();

    // The profile form: a bad name shows a message under the field and sends nothing.
    await page.locator('#profile-name').waitFor({ timeout: 15_000 });
    await fillInput(page, 'profile-name', '李');
    await fillInput(page, 'profile-hospital', '复旦大学附属中山医院');
    await page.locator('#profile-submit').click();
    await expect.poll(() => page.locator('.field-error').allInnerTexts()).toContain('姓名至少 2 个字');

    await fillInput(page, 'profile-name', '李娜');
    await choosePickerOption(page, 'profile-hospital-level', '三级甲等');
    await choosePickerOption(page, 'profile-department', '心血管内科');
    await choosePickerOption(page, 'profile-title', '主治医师');
    await choosePickerOption(page, 'profile-province', '上海市');
    await fillInput(page, 'profile-city', '上海');
    await page.locator('#profile-submit').click();

    // 我的: not verified yet; ask for verification.
    await page.locator('#verification-status').waitFor({ timeout: 15_000 });
    await expect.poll(() => text('#verification-status')).toBe('未认证');
    await fillInput(page, 'license-no', '110101199003070');
    await page.locator('#verification-submit').click();
    await expect.poll(() => text('#verification-status'), { timeout: 10_000 }).toBe('审核中');

    // What the app stored is what the doctor typed.
    const compliance = await makeStaff(ctx.stack, 'compliance');
    const queue = await ctx.stack.http.get('/api/admin/verifications?status=pending', compliance.token);
    const request = queue.body.items.find((i: { name: string }) => i.name === '李娜');
    expect(request).toMatchObject({ licenseNo: '110101199003070', hospital: '复旦大学附属中山医院', department: '心血管内科', title: '主治医师' });

    const approved = await ctx.stack.http.post(`/api/admin/verifications/${request.id}/approve`, {}, compliance.token);
    expect(approved.status).toBe(200);

    await page.reload();
    await expect.poll(() => text('#verification-status'), { timeout: 15_000 }).toBe('已认证');
  });
});

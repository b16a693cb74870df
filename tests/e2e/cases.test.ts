/**
 * Case submission in the real h5 build, in Chromium: a verified doctor opens the 病例 tab, picks a
 * campaign, types a case whose history carries a resident ID number, sees the inline warning with
 * the number highlighted, masks it (confirming the masked text), submits, and lands on the case
 * page showing 审核中. The server holds the masked text only.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckCharacter } from '@hcp360/shared';
import { fillInput } from '../../miniapp/e2e-driver.js';
import { makeDoctor, makeStaff } from '../../server/test/factories.js';
import { startStack, type Stack } from '../../server/test/harness.js';
import { H5_DIR, launchBrowser, phonePage } from './browser.js';

let stack: Stack;
let browser: Browser;
let campaign: string;
const ID17 = '32010619780315002';
const ID_NUMBER = ID17 + idCheckCharacter(ID17);

beforeAll(async () => {
  stack = await startStack({ h5Dir: H5_DIR });
  // The browser's clock is real time; let the server's agree.
  stack.clock.ms = Date.now();
  browser = await launchBrowser();
  const marketing = await makeStaff(stack, 'marketing');
  const res = await stack.http.post(
    '/api/admin/cases/campaigns',
    {
      title: '高血压真实世界病例',
      description: '征集高血压真实世界诊疗病例',
      topics: ['hypertension'],
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      form: {
        fields: [
          { key: 'age', label: '年龄', type: 'number', unit: '岁', min: 0, max: 120, integer: true, required: true },
          { key: 'sex', label: '性别', type: 'single_choice', options: ['男', '女'], required: true },
          { key: 'history', label: '病史摘要', type: 'long_text', required: true, help: '请去除患者身份信息' },
        ],
      },
    },
    marketing.token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  campaign = res.body.id;
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('a case from the h5 app', () => {
  it('warns about an ID number as the doctor types, masks it on confirmation, and submits to 审核中', async () => {
    stack.clock.ms = Date.now();
    const doctor = await makeDoctor(stack, { until: 'verified', openid: `e2e-cases-${Date.now()}` });
    const page = await phonePage(browser);
    await page.goto(`${stack.url}/h5/?openid=${doctor.openid}#/pages/cases/index`);
    await page.locator(`#campaign-${campaign}`).click({ timeout: 20_000 });
    await page.locator('#start-case').click({ timeout: 15_000 });

    await page.locator('#field-history').waitFor({ timeout: 15_000 });
    await fillInput(page, 'field-age', '62');
    await page.locator('#field-sex-0').click();
    const history = `患者身份证号${ID_NUMBER}，高血压病史10年，氨氯地平5mg qd。`;
    await fillInput(page, 'field-history', history);

    const warning = page.locator('#phi-warning-history');
    await warning.waitFor({ timeout: 10_000 });
    await expect.poll(() => warning.innerText()).toContain('身份证号');
    expect(await warning.locator('.phi-flagged').first().innerText()).toBe(ID_NUMBER);

    await page.locator('#phi-mask-history').click();
    const confirm = page.locator('.taro-model__confirm');
    await confirm.waitFor({ timeout: 5_000 });
    expect(await page.locator('.taro-modal__text').innerText()).toContain(`${ID_NUMBER.slice(0, 4)}************${ID_NUMBER.slice(-2)}`);
    await confirm.click();
    await warning.waitFor({ state: 'detached', timeout: 5_000 });
    const masked = await page.locator('#field-history textarea').inputValue();
    expect(masked).toBe(`患者身份证号${ID_NUMBER.slice(0, 4)}************${ID_NUMBER.slice(-2)}，高血压病史10年，氨氯地平5mg qd。`);

    // The draft reaches the server as the doctor types.
    await expect.poll(async () => (await stack.http.get(`/api/cases/campaigns/${campaign}/draft`, doctor.token)).body.answers.history, { timeout: 10_000 }).toBe(masked);

    await page.locator('#submit-case').click();
    await expect.poll(() => page.locator('#submission-status').innerText().catch(() => ''), { timeout: 20_000 }).toBe('审核中');

    const [rows] = await stack.deps.pool.query('SELECT v.answers FROM case_submissions s JOIN case_submission_versions v ON v.submission_id = s.id WHERE s.hcp_id = ?', [doctor.id]);
    const stored = (rows as { answers: string }[]).map((r) => JSON.parse(r.answers) as Record<string, unknown>);
    expect(stored).toEqual([{ age: 62, sex: '男', history: masked }]);
    expect(JSON.stringify(stored)).not.toContain(ID_NUMBER);
    await page.close();
  });
});

/**
 * The staff console (server/console, served at /console/) in Chromium, as marketing and a
 * compliance reviewer use it side by side in their own browser windows: an article written in
 * the rich-text editor goes through MLR review (rejected with a comment, edited, approved) and is
 * published, and a doctor then reads exactly what was approved. Also: the form's checks, cover
 * uploads (checked by the server), roles that may not use the console, an access token that
 * expires during work, the feed preview with its score breakdown, and the reviewers' other queues:
 * HCP verification, live-stream approval and case review; a doctor's HCP360 profile; staff
 * accounts and the audit log; marketing's live streams (a new application, cancelling, the report);
 * segments built from conditions; case campaigns with their form builder; the engine's settings.
 */
import type { ContentAdminView, DoctorContent, FeedPreviewResponse, LiveStaffView, SubmissionView } from '@hcp360/shared';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_ANSWERS, makeCampaign } from '../../server/test/casesSupport.js';
import { anEvent, makeContent, makeDoctor, makeStaff, postEvents, type TestStaff } from '../../server/test/factories.js';
import { startStack, type Stack } from '../../server/test/harness.js';
import { applyLive, liveStaff, scheduledLive } from '../../server/test/liveSupport.js';
import { CONSOLE_DIR, desktopPage, launchBrowser } from './browser.js';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ consoleDir: CONSOLE_DIR });
  // The browser's clock is real time; let the server's agree.
  stack.clock.ms = Date.now();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A new browser window signed in to the console as `staff` (the console's pages, or its refusal). */
async function signedIn(staff: TestStaff): Promise<Page> {
  const page = await desktopPage(browser);
  await page.goto(`${stack.url}/console/`);
  await page.locator('input[name=username]').fill(staff.username);
  await page.locator('input[name=password]').fill(staff.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.topbar, .centered h2').first().waitFor({ timeout: 15_000 });
  return page;
}

const statusOf = (page: Page) => page.locator('.pagehead .status').innerText();

/** Takes a workflow action on the open item and confirms it, with a comment if given. */
async function act(page: Page, action: string, comment?: string) {
  await page.locator('.actions button', { hasText: new RegExp(`^${action}$`) }).click();
  if (comment !== undefined) await page.locator('textarea[name=comment]').fill(comment);
  await page.getByRole('button', { name: `确认${action}` }).click();
}

async function itemAsStaff(id: string, staff: TestStaff): Promise<ContentAdminView> {
  const res = await stack.http.get(`/api/admin/content/${id}`, staff.token);
  expect(res.status).toBe(200);
  return res.body;
}

describe('the console', () => {
  it('is served at /console/: one page for every path, its assets cached for good, nothing outside its build', async () => {
    const bare = await fetch(`${stack.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/console/');
    const index = await fetch(`${stack.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('max-age=0');
    const html = await index.text();
    expect(html).toContain('<title>HCP360 控制台</title>');
    // Pages route by the hash, so any other path is the same page.
    expect(await (await fetch(`${stack.url}/console/content/12`)).text()).toBe(html);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${stack.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('max-age=31536000,immutable');
    expect((await fetch(`${stack.url}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${stack.url}/console/assets/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
  });

  it('takes an article from the editor through rejection, revision, approval and publication to a doctor', async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const reviewer = await makeStaff(stack, 'compliance');
    const m = await signedIn(marketing);

    // Marketing writes the article: title, summary, a body with a bold paragraph, a topic.
    await m.getByRole('link', { name: '新建内容' }).first().click();
    await m.locator('input[name=title]').fill('家庭血压监测要点');
    await m.locator('textarea[name=summary]').fill('家庭血压监测的频率与读数记录。');
    await m.locator('.editor').click();
    await m.keyboard.type('高血压患者应规律监测家庭血压。');
    await m.keyboard.press('Enter');
    await m.locator('.toolbar button[title=加粗]').click();
    await m.keyboard.type('每日早晚各测一次');
    await m.locator('label.chip').filter({ hasText: /^高血压$/ }).click();
    await m.getByRole('button', { name: '保存草稿' }).click();
    await m.waitForURL(/#\/content\/\d+$/, { timeout: 15_000 });
    const id = /#\/content\/(\d+)$/.exec(m.url())![1]!;
    await expect.poll(() => statusOf(m)).toBe('草稿');
    const draft = await itemAsStaff(id, marketing);
    expect(draft.versions[0]!.body).toBe('<p>高血压患者应规律监测家庭血压。</p><p><strong>每日早晚各测一次</strong></p>');
    expect(draft.versions[0]!.topics).toEqual(['hypertension']);

    // Marketing may not review; it submits.
    expect(await m.locator('.actions button', { hasText: '批准' }).count()).toBe(0);
    await act(m, '提交审核');
    await expect.poll(() => statusOf(m)).toBe('审核中');

    // The reviewer finds it under 内容审核 and may not edit or publish it. A rejection needs a comment.
    const c = await signedIn(reviewer);
    await c.getByRole('link', { name: '内容审核' }).click();
    await c.locator('table.list a', { hasText: '家庭血压监测要点' }).click();
    await expect.poll(() => statusOf(c)).toBe('审核中');
    expect(await c.locator('.actions button', { hasText: /^(编辑|发布)$/ }).count()).toBe(0);
    await act(c, '驳回', '');
    expect(await c.locator('p.error').innerText()).toContain('驳回时请填写驳回意见');
    expect((await itemAsStaff(id, reviewer)).status).toBe('in_review');
    await c.locator('textarea[name=comment]').fill('请注明血压读数的记录方法。');
    await c.getByRole('button', { name: '确认驳回' }).click();
    await expect.poll(() => statusOf(c)).toBe('草稿');

    // Marketing sees the reviewer's comment on the draft, revises the title and submits again.
    await m.reload();
    await expect.poll(() => m.locator('.callout.warn').innerText()).toContain('请注明血压读数的记录方法。');
    await m.locator('.actions button', { hasText: /^编辑$/ }).click();
    await expect.poll(() => m.locator('input[name=title]').inputValue()).toBe('家庭血压监测要点');
    await m.locator('input[name=title]').fill('家庭血压监测要点（含读数记录）');
    await m.getByRole('button', { name: '保存草稿' }).click();
    await m.waitForURL(new RegExp(`#/content/${id}$`));
    await expect.poll(() => m.locator('.pagehead h2').innerText()).toContain('家庭血压监测要点（含读数记录）');
    await act(m, '提交审核');
    await expect.poll(() => statusOf(m)).toBe('审核中');

    // The reviewer approves, with a note.
    await c.reload();
    await act(c, '批准', '已核对，可发布。');
    await expect.poll(() => statusOf(c)).toBe('已批准');

    // Marketing publishes; a doctor reads what was approved.
    await m.reload();
    await act(m, '发布');
    await expect.poll(() => statusOf(m)).toBe('已发布');
    const doctor = await makeDoctor(stack);
    const read = await stack.http.get(`/api/content/${id}`, doctor.token);
    expect(read.status).toBe(200);
    const content = read.body as DoctorContent;
    expect(content.title).toBe('家庭血压监测要点（含读数记录）');
    expect(content.body).toBe('<p>高血压患者应规律监测家庭血压。</p><p><strong>每日早晚各测一次</strong></p>');

    // The history on the page tells the story, with the reviewers' comments.
    const history = await m.locator('.history').innerText();
    for (const step of ['创建', '提交审核', '驳回', '请注明血压读数的记录方法。', '修改草稿', '批准', '已核对，可发布。', '发布']) expect(history).toContain(step);
    await m.context().close();
    await c.context().close();
  });

  it('checks the form before saving and shows what to fix, in Chinese, beside each field', async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const before = (await stack.http.get('/api/admin/content?limit=100', marketing.token)).body.items.length;
    const m = await signedIn(marketing);
    await m.goto(`${stack.url}/console/#/content/new`);
    await m.getByRole('button', { name: '保存草稿' }).click();
    const fieldErrors = () => m.locator('.fielderror').allInnerTexts();
    await expect.poll(fieldErrors).toEqual(expect.arrayContaining(['请填写标题（100 字以内）。', '文章需要正文。', '请选择 1–5 个主题。']));

    // An expiry before the publication time is caught too.
    await m.locator('input[name=title]').fill('表单检查');
    await m.locator('.editor').click();
    await m.keyboard.type('正文');
    await m.locator('label.chip').filter({ hasText: /^糖尿病$/ }).click();
    await m.locator('input[name=publishAt]').fill('2030-01-02T08:00');
    await m.locator('input[name=expireAt]').fill('2030-01-01T08:00');
    await m.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(fieldErrors).toEqual(['过期时间必须晚于发布时间。']);
    expect((await stack.http.get('/api/admin/content?limit=100', marketing.token)).body.items.length).toBe(before);

    // Fixed, it saves, with the times read as Beijing time.
    await m.locator('input[name=expireAt]').fill('2030-02-01T08:00');
    await m.getByRole('button', { name: '保存草稿' }).click();
    await m.waitForURL(/#\/content\/\d+$/, { timeout: 15_000 });
    const item = await itemAsStaff(/#\/content\/(\d+)$/.exec(m.url())![1]!, marketing);
    expect(item.versions[0]!.publishAt).toBe('2030-01-02T00:00:00.000Z');
    expect(item.versions[0]!.expireAt).toBe('2030-02-01T00:00:00.000Z');
    await m.context().close();
  });

  it('uploads a cover the server accepts and says so when it refuses a file that is not an image', async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const m = await signedIn(marketing);
    await m.goto(`${stack.url}/console/#/content/new`);
    const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#0b6e6e' } }).png().toBuffer();
    await m.locator('input[aria-label=上传封面]').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => m.locator('input[name=cover]').inputValue()).toMatch(/^\/media\/[0-9a-f]{32}\.png$/);
    const thumb = m.locator('img.thumb');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);

    await m.locator('input[aria-label=上传封面]').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await expect.poll(() => m.locator('p.error').innerText()).toBe('图片上传失败：请上传 PNG 或 JPEG 图片。');
    await m.context().close();
  });

  it('keeps working when the access token expires mid-session (refreshed once), and turns away roles it is not for', async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const id = await makeContent(stack, { title: '令牌过期后仍可操作' }, { marketing, medical: await makeStaff(stack, 'medical') });
    const m = await signedIn(marketing);
    await m.goto(`${stack.url}/console/#/content/${id}`);
    await expect.poll(() => statusOf(m)).toBe('已发布');
    // Access tokens last 15 minutes; the refresh token much longer.
    stack.clock.ms += 20 * 60_000;
    await act(m, '归档');
    await expect.poll(() => statusOf(m)).toBe('已归档');
    await m.context().close();
    stack.clock.ms = Date.now();
    expect((await itemAsStaff(id, marketing)).status).toBe('archived');

    const rep = await makeStaff(stack, 'rep');
    const r = await signedIn(rep);
    expect(await r.locator('.card h2').innerText()).toBe('无法使用控制台');
    expect(await r.locator('table.list').count()).toBe(0);
    await r.context().close();

    const wrong = await desktopPage(browser);
    await wrong.goto(`${stack.url}/console/`);
    await wrong.locator('input[name=username]').fill(marketing.username);
    await wrong.locator('input[name=password]').fill('not the password');
    await wrong.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => wrong.locator('p.error').innerText()).toBe('用户名或密码错误。');
    await wrong.context().close();
  });

  it("shows a doctor's feed with each item's reason and score broken down", async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const medical = await makeStaff(stack, 'medical');
    await makeContent(stack, { title: '心衰指南解读（预览测试）', topics: ['heart_failure'] }, { marketing, medical });
    const name = `预览${[...'甲乙丙丁戊己庚辛壬癸'].sort(() => Math.random() - 0.5).slice(0, 3).join('')}`;
    const doctor = await makeDoctor(stack, { profile: { name } });
    const expected = (await stack.http.get(`/api/admin/hcps/${doctor.id}/feed-preview?limit=20`, marketing.token)).body as FeedPreviewResponse;
    const row = expected.items.find((i) => i.title === '心衰指南解读（预览测试）')!;
    expect(row).toBeDefined();

    const m = await signedIn(marketing);
    await m.getByRole('link', { name: '推荐预览' }).click();
    await m.locator('input[aria-label=医生姓名、医院或编号]').fill(name);
    await m.getByRole('button', { name: '查找' }).click();
    await m.locator('.picklist button', { hasText: name }).click();
    const line = m.locator('table.scores tr', { hasText: '心衰指南解读（预览测试）' });
    await line.waitFor({ timeout: 15_000 });
    const cells = await line.locator('td').allInnerTexts();
    expect(cells[0]).toBe(String(row.position + 1));
    expect(cells[2]).toBe(row.reason);
    expect(cells[10]).toBe(row.score.total.toFixed(2));
    expect(await m.locator('.card h3').innerText()).toContain(name);
    await m.context().close();
  });

  it('lets compliance verify a doctor, and reject another only with a reason the doctor sees', async () => {
    const compliance = await makeStaff(stack, 'compliance');
    const names = [...'甲乙丙丁戊己庚辛壬癸'].sort(() => Math.random() - 0.5);
    const good = await makeDoctor(stack, { until: 'pending', profile: { name: `认证${names[0]}${names[1]}` } });
    const doubtful = await makeDoctor(stack, { until: 'pending', profile: { name: `认证${names[2]}${names[3]}` } });
    const c = await signedIn(compliance);
    await c.getByRole('link', { name: '医生认证' }).click();

    const goodCard = c.locator('.card.review', { hasText: `认证${names[0]}${names[1]}` });
    await goodCard.getByRole('button', { name: '通过' }).click();
    await goodCard.getByRole('button', { name: '确认通过' }).click();
    await expect.poll(() => c.locator('.callout.ok').innerText()).toContain(`认证${names[0]}${names[1]}`);
    await expect.poll(() => goodCard.count()).toBe(0);
    expect((await stack.http.get('/api/me', good.token)).body.verification.status).toBe('verified');

    const doubtfulCard = c.locator('.card.review', { hasText: `认证${names[2]}${names[3]}` });
    await doubtfulCard.getByRole('button', { name: '驳回' }).click();
    await doubtfulCard.getByRole('button', { name: '确认驳回' }).click();
    expect(await doubtfulCard.locator('p.error').innerText()).toBe('驳回时请填写原因，医生将看到它。');
    expect((await stack.http.get('/api/me', doubtful.token)).body.verification.status).toBe('pending');
    await doubtfulCard.locator('textarea[name=comment]').fill('执业证号与医院不符，请核对后重新提交。');
    await doubtfulCard.getByRole('button', { name: '确认驳回' }).click();
    await expect.poll(() => doubtfulCard.count()).toBe(0);
    const me = (await stack.http.get('/api/me', doubtful.token)).body;
    expect(me.verification).toEqual({ status: 'rejected', comment: '执业证号与医院不符，请核对后重新提交。' });
    await c.getByRole('button', { name: '已驳回' }).click();
    await expect.poll(() => c.locator('.card.review', { hasText: `认证${names[2]}${names[3]}` }).innerText()).toContain('执业证号与医院不符');
    await c.context().close();
  });

  it('lets the manager and then compliance approve a live stream, which schedules it, and compliance reject one with a reason', async () => {
    const [rep, manager, compliance] = await Promise.all([makeStaff(stack, 'rep'), makeStaff(stack, 'manager'), makeStaff(stack, 'compliance')]);
    const approved = await applyLive(stack, rep, { title: '心衰患者的容量管理实践' });
    const refused = await applyLive(stack, rep, { title: '降压药物的超说明书使用' });
    expect((await stack.http.post(`/api/admin/lives/${refused}/dept-approve`, {}, manager.token)).status).toBe(200);

    // The department manager's console is the first approval and nothing else of the console's.
    const g = await signedIn(manager);
    expect(await g.locator('.sidenav a').allInnerTexts()).toEqual(['直播审批', '医生画像']);
    const applied = g.locator(`[data-live="${approved}"]`);
    await applied.getByRole('button', { name: '批准' }).click();
    await applied.getByRole('button', { name: '确认批准' }).click();
    await expect.poll(() => g.locator('.callout.ok').innerText()).toBe('「心衰患者的容量管理实践」已批准，等待合规审批。');
    expect(((await stack.http.get(`/api/admin/lives/${approved}`, manager.token)).body as LiveStaffView).status).toBe('dept_approved');
    await g.context().close();

    const c = await signedIn(compliance);
    await c.getByRole('link', { name: '直播审批' }).click();
    const card = c.locator(`[data-live="${approved}"]`);
    await expect.poll(() => card.innerText()).toContain('王建国（北京协和医院 主任医师）');
    await card.getByRole('button', { name: '批准' }).click();
    await card.getByRole('button', { name: '确认批准' }).click();
    await expect.poll(() => c.locator('.callout.ok').innerText()).toBe('「心衰患者的容量管理实践」已批准并排期。');
    const live = (await stack.http.get(`/api/admin/lives/${approved}`, compliance.token)).body as LiveStaffView;
    expect(live.status).toBe('scheduled');
    expect(live.streamKey).toEqual(expect.any(String));
    expect(live.playUrl).toEqual(expect.any(String));

    const other = c.locator(`[data-live="${refused}"]`);
    await other.getByRole('button', { name: '驳回' }).click();
    await other.getByRole('button', { name: '确认驳回' }).click();
    expect(await other.locator('p.error').innerText()).toBe('驳回须填写原因，申请人将看到它。');
    await other.locator('textarea[name=comment]').fill('超说明书用药不宜作为推广主题。');
    await other.getByRole('button', { name: '确认驳回' }).click();
    await expect.poll(() => other.count()).toBe(0);
    const rejected = (await stack.http.get(`/api/admin/lives/${refused}`, rep.token)).body as LiveStaffView;
    expect(rejected.status).toBe('rejected');
    expect(rejected.reviews.at(-1)).toMatchObject({ step: 'compliance', decision: 'rejected', comment: '超说明书用药不宜作为推广主题。' });
    await c.context().close();
  });

  it("shows medical a submitted case field by field and sends it back for revision with the reviewer's note", async () => {
    const medical = await makeStaff(stack, 'medical');
    const campaign = await makeCampaign(stack, { title: '控制台病例审核测试' });
    const doctor = await makeDoctor(stack, { until: 'verified' });
    const submitted = await stack.http.post(`/api/cases/campaigns/${campaign}/submissions`, { answers: GOOD_ANSWERS }, doctor.token);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const id = submitted.body.id as string;

    const m = await signedIn(medical);
    await m.getByRole('link', { name: '病例审核' }).click();
    await m.locator('table.list a', { hasText: `#${id}` }).click();
    await expect.poll(() => m.locator('[data-field=history] dd').innerText()).toBe(GOOD_ANSWERS.history);
    expect(await m.locator('[data-field=age] dd').innerText()).toBe('62 岁');
    expect(await m.locator('[data-field=comorbid] dd').innerText()).toBe('糖尿病');
    expect(await m.locator('.pagehead').innerText()).toContain('审核中');

    await m.getByRole('button', { name: '退回修改' }).click();
    await m.getByRole('button', { name: '确认退回修改' }).click();
    expect(await m.locator('p.error').innerText()).toBe('请写明需要医生修改的地方。');
    await m.locator('textarea[name=comment]').fill('请补充用药调整后的随访血压。');
    await m.getByRole('button', { name: '确认退回修改' }).click();
    await expect.poll(() => m.locator('.pagehead').innerText()).toContain('需修改');
    const mine = (await stack.http.get(`/api/cases/submissions/${id}`, doctor.token)).body as SubmissionView;
    expect(mine.status).toBe('needs_revision');
    expect(mine.reviewerNote).toBe('请补充用药调整后的随访血压。');
    expect(await m.locator('.history').innerText()).toContain('请补充用药调整后的随访血压。');
    await m.context().close();
  });

  it("shows a doctor's HCP360 profile: tags, affinities from their reading, the timeline, a masked phone", async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const medical = await makeStaff(stack, 'medical');
    const article = await makeContent(stack, { title: '心衰患者的随访管理', topics: ['heart_failure'] }, { marketing, medical });
    const name = `画像${[...'甲乙丙丁戊己庚辛壬癸'].sort(() => Math.random() - 0.5).slice(0, 2).join('')}`;
    const doctor = await makeDoctor(stack, { profile: { name } });
    const { code } = await stack.fakeCall('POST', '/__fake/phone-code', { phoneNumber: '13912345678' });
    expect((await stack.http.post('/api/me/phone', { code }, doctor.token)).status).toBe(200);
    await postEvents(stack, doctor, [
      anEvent(stack, 'content_view', { content_id: article }),
      anEvent(stack, 'content_read', { content_id: article, dwell_ms: 95_000, scroll_depth: 0.9 }),
    ]);
    // The engine derives the profile from the events within moments.
    await expect
      .poll(async () => ((await stack.http.get(`/api/admin/hcps/${doctor.id}`, marketing.token)).body.affinities as { topic: string }[]).map((a) => a.topic), { timeout: 15_000 })
      .toContain('heart_failure');

    const m = await signedIn(marketing);
    await m.getByRole('link', { name: '医生画像' }).click();
    await m.locator('input[aria-label=姓名或医院]').fill(name);
    await m.getByRole('button', { name: '搜索' }).click();
    await m.locator('table.list a', { hasText: name }).click();
    await expect.poll(() => m.locator('.pagehead h2').innerText()).toContain(name);
    expect(await m.locator('.bars').innerText()).toContain('心力衰竭');
    const facts = await m.locator('.facts.wide').innerText();
    expect(facts).toContain('139****5678');
    expect(facts).not.toContain('13912345678');
    expect(await m.locator('.timeline').innerText()).toContain(`阅读内容 内容 #${article} · 停留 95 秒 · 读到 90%`);
    await expect.poll(() => m.locator('table.tags').innerText()).toContain('心血管内科');

    // From the profile to the doctor's feed as it is now.
    await m.getByRole('link', { name: '查看推荐' }).click();
    await expect.poll(() => m.locator('.card h3').innerText()).toContain(`${name} 的推荐`);
    expect(await m.locator('table.scores').innerText()).toContain('心衰患者的随访管理');
    await m.context().close();
  });

  it('lets an admin create a rep account and bind its WeChat, and shows both in the audit log', async () => {
    const admin = await makeStaff(stack, 'admin');
    const a = await signedIn(admin);
    await a.getByRole('link', { name: '员工账号' }).click();
    const username = `rep_${Date.now().toString(36)}`;

    // The schema's checks first, in Chinese beside the fields; nothing is created.
    await a.locator('input[name=username]').fill('Bad Name');
    await a.locator('input[name=password]').fill('short');
    await a.getByRole('button', { name: '创建账号' }).click();
    await expect.poll(() => a.locator('.fielderror').allInnerTexts()).toEqual(['用户名须为 3–32 位小写字母、数字或 _ . -，以字母开头。', '请填写姓名（40 字以内）。', '密码至少 10 位。']);

    await a.locator('input[name=username]').fill(username);
    await a.locator('input[name=displayName]').fill('医药代表 测试');
    await a.locator('select[name=role]').selectOption('rep');
    await a.locator('input[name=password]').fill('a long enough password');
    await a.getByRole('button', { name: '创建账号' }).click();
    const row = a.locator(`tr[data-staff="${username}"]`);
    await expect.poll(() => row.innerText()).toContain('医药代表 测试');
    expect((await stack.http.post('/api/auth/staff-login', { username, password: 'a long enough password' })).status).toBe(200);

    // The same username again is refused with the server's reason.
    await a.locator('input[name=username]').fill(username);
    await a.locator('input[name=displayName]').fill('另一个人');
    await a.locator('input[name=password]').fill('a long enough password');
    await a.getByRole('button', { name: '创建账号' }).click();
    await expect.poll(() => a.locator('p.error').innerText()).toBe('该用户名已被使用。');

    const openid = `console-rep-${Date.now()}`;
    await row.locator('input').fill(openid);
    await row.getByRole('button', { name: '绑定' }).click();
    await row.getByRole('button', { name: '确认绑定' }).click();
    await expect.poll(() => row.innerText()).toContain('已绑定');
    const staff = (await stack.http.get('/api/admin/staff', admin.token)).body.items as { username: string; wechatBound: boolean }[];
    expect(staff.find((s) => s.username === username)?.wechatBound).toBe(true);

    await a.getByRole('link', { name: '审计日志' }).click();
    await a.locator('select[aria-label=记录类型]').selectOption('staff');
    await expect.poll(() => a.locator('table.audit').innerText()).toContain('员工账号 · 绑定微信');
    expect(await a.locator('table.audit').innerText()).toContain('员工账号 · 创建');
    await a.context().close();

    // Compliance reads the audit log too, but does not manage accounts.
    const c = await signedIn(await makeStaff(stack, 'compliance'));
    expect(await c.getByRole('link', { name: '审计日志' }).count()).toBe(1);
    expect(await c.getByRole('link', { name: '员工账号' }).count()).toBe(0);
    await c.context().close();
  });

  it('lets marketing apply for a live stream, cancel a scheduled one, and export a report', async () => {
    const s = await liveStaff(stack);
    const m = await signedIn(s.marketing);
    await m.getByRole('link', { name: '直播管理' }).click();
    await m.getByRole('link', { name: '新建直播' }).click();

    // The shared schema's messages, before anything is sent.
    await m.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => m.locator('.fielderror').allInnerTexts()).toEqual(expect.arrayContaining(['主题至少 4 个字', '请选择 1 到 5 个话题', '请选择时间。']));

    await m.locator('input[name=title]').fill('糖尿病肾病的早期筛查与管理');
    await m.locator('label.chip').filter({ hasText: /^糖尿病$/ }).click();
    await m.locator('input[aria-label="讲者 1 姓名"]').fill('李建华');
    await m.locator('input[aria-label="讲者 1 医院"]').fill('北京大学第一医院');
    await m.locator('input[aria-label="讲者 1 职称"]').fill('主任医师');
    await m.getByRole('button', { name: '添加讲者' }).click();
    await m.locator('input[aria-label="讲者 2 姓名"]').fill('王芳');
    await m.locator('input[aria-label="讲者 2 医院"]').fill('北京协和医院');
    await m.locator('input[aria-label="讲者 2 职称"]').fill('副主任医师');
    await m.locator('input[name=startAt]').fill('2030-03-01T19:00');
    await m.locator('input[name=endAt]').fill('2030-03-01T20:30');
    await m.locator('input[name=expectedAttendance]').fill('300');
    await m.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => m.locator('.callout.ok').innerText()).toBe('直播申请已提交，等待部门经理审批。');
    const applied = ((await stack.http.get('/api/admin/lives?status=applied', s.marketing.token)).body.items as LiveStaffView[]).find((l) => l.title === '糖尿病肾病的早期筛查与管理')!;
    expect(applied).toMatchObject({ status: 'applied', startAt: '2030-03-01T11:00:00.000Z', endAt: '2030-03-01T12:30:00.000Z', expectedAttendance: 300, topics: ['diabetes'] });
    expect(applied.speakers.map((p) => p.name)).toEqual(['李建华', '王芳']);

    // A scheduled stream: cancelled from the console, with the note registered doctors get.
    const { id } = await scheduledLive(stack, s, { title: '慢性肾病患者的血压管理' });
    await m.getByRole('button', { name: '已排期' }).click();
    const card = m.locator(`[data-live="${id}"]`);
    await card.getByRole('button', { name: '取消直播' }).click();
    await card.locator('textarea[name=comment]').fill('讲者临时有手术，改期另行通知。');
    await card.getByRole('button', { name: '确认取消直播' }).click();
    await expect.poll(() => m.locator('.callout.ok').innerText()).toBe('「慢性肾病患者的血压管理」已取消，已报名的医生会收到通知。');
    expect(((await stack.http.get(`/api/admin/lives/${id}`, s.marketing.token)).body as LiveStaffView).status).toBe('cancelled');

    // Another scheduled stream's report, and its CSV as the browser saves it.
    const report = await scheduledLive(stack, s, { title: '房颤抗凝的临床实践' });
    await m.goto(`${stack.url}/console/#/lives/${report.id}/report`);
    await expect.poll(() => m.locator('.pagehead h2').innerText()).toBe('房颤抗凝的临床实践 · 直播报告');
    const [saved] = await Promise.all([m.waitForEvent('download'), m.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(saved.suggestedFilename()).toBe(`live-${report.id}-report.csv`);
    const csv = fs.readFileSync((await saved.path())!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(['医生ID', '姓名', '医院', '科室', '报名时间', '订阅提醒', '提醒状态', '观看分钟', '回放次数', '来源', '代表ID', '代表'].map((c) => `"${c}"`).join(','));
    await m.context().close();
  });

  it('lets marketing build a segment from conditions, preview who matches, save it and target content with it', async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const m = await signedIn(marketing);
    await m.getByRole('link', { name: '分群与标签' }).click();
    await m.getByRole('link', { name: '新建分群' }).click();
    const name = `心内高血压关注者${Date.now() % 10_000}`;
    await m.locator('input[name=name]').fill(name);
    await m.locator('select[aria-label="条件 1 属性"]').selectOption('department');
    await m.locator('input[aria-label="条件 1 值"]').fill('心血管内科');
    await m.getByRole('button', { name: '添加条件' }).click();
    await m.locator('select[aria-label="条件 2 类型"]').selectOption('affinity');
    await m.locator('select[aria-label="条件 2 主题"]').selectOption('hypertension');
    await m.locator('input[aria-label="条件 2 值"]').fill('2');

    // The server's check of the rule, pointing at the condition.
    await m.getByRole('button', { name: '预览命中' }).click();
    await expect.poll(() => m.locator('div.error').innerText()).toContain('all.1.value');
    expect(await m.locator('div.error').innerText()).toContain('规则有误');

    await m.locator('input[aria-label="条件 2 值"]').fill('0.5');
    const rule = { all: [{ attr: 'department', op: 'eq', value: '心血管内科' }, { affinity: 'hypertension', op: 'gte', value: 0.5 }] };
    const expected = (await stack.http.post('/api/admin/segments/preview', { rule }, marketing.token)).body as { count: number };
    await m.getByRole('button', { name: '预览命中' }).click();
    await expect.poll(() => m.locator('.preview-count strong').innerText()).toBe(`命中 ${expected.count} 位医生`);

    await m.getByRole('button', { name: '保存' }).click();
    await m.waitForURL(/#\/segments\/segment\/\d+\?saved=1$/);
    const id = /segment\/(\d+)/.exec(m.url())![1]!;
    const saved = (await stack.http.get(`/api/admin/segments/${id}`, marketing.token)).body as { name: string; rule: unknown };
    expect(saved).toMatchObject({ name, rule });

    // The new segment is an audience content can target.
    await m.goto(`${stack.url}/console/#/content/new`);
    await m.getByRole('radio', { name: '指定分群' }).check();
    await expect.poll(() => m.locator('label.chip', { hasText: name }).count()).toBe(1);

    // A rule with nested groups, saved through the API, is edited as JSON.
    const nested = { any: [{ all: [{ attr: 'city', op: 'eq', value: '上海' }, { tag: 'kol', op: 'eq', value: 'true' }] }, { counter: 'cases_accepted', op: 'gte', value: 1 }] };
    const made = await stack.http.post('/api/admin/segments', { name: `嵌套规则${Date.now() % 10_000}`, rule: nested }, marketing.token);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await m.goto(`${stack.url}/console/#/segments/segment/${made.body.id}`);
    await expect.poll(() => m.locator('textarea[name=rule]').inputValue()).toBe(JSON.stringify(nested, null, 2));
    await m.context().close();
  });

  it('lets marketing build a case campaign and its form, which doctors then see, and end it early', async () => {
    const marketing = await makeStaff(stack, 'marketing');
    const m = await signedIn(marketing);
    await m.getByRole('link', { name: '病例征集' }).click();
    await m.getByRole('link', { name: '新建征集' }).click();
    const title = `控制台征集${Date.now() % 100_000}`;
    await m.locator('input[name=title]').fill(title);
    await m.locator('textarea[name=description]').fill('征集心衰患者的真实世界诊疗病例。');
    await m.locator('label.chip').filter({ hasText: /^心力衰竭$/ }).click();
    await m.locator('input[name=opensAt]').fill('2020-01-01T08:00');
    await m.locator('input[name=closesAt]').fill('2035-01-01T08:00');
    // The first field is the form's starting point (年龄, a whole number in 岁); add a choice and images.
    await m.getByRole('button', { name: '添加字段' }).click();
    await m.locator('input[aria-label="字段 2 名称"]').fill('NYHA 分级');
    await m.locator('select[aria-label="字段 2 类型"]').selectOption('single_choice');
    await m.locator('textarea[aria-label="字段 2 选项"]').fill('II 级');
    await m.getByRole('button', { name: '添加字段' }).click();
    await m.locator('input[aria-label="字段 3 名称"]').fill('超声心动图');
    await m.locator('select[aria-label="字段 3 类型"]').selectOption('images');
    await m.getByRole('button', { name: '创建征集' }).click();
    await expect.poll(() => m.locator('[data-field="1"] .fielderror').innerText()).toBe('请给出 2–20 个选项，每行一个。');

    await m.locator('textarea[aria-label="字段 2 选项"]').fill('II 级\nIII 级\nIV 级');
    // Images first: the order is the doctors' order.
    await m.locator('[data-field="2"]').getByRole('button', { name: '上移' }).click();
    await m.getByRole('button', { name: '创建征集' }).click();
    await m.waitForURL(/#\/campaigns\/\d+$/, { timeout: 15_000 });
    const id = /campaigns\/(\d+)$/.exec(m.url())![1]!;
    const made = (await stack.http.get(`/api/admin/cases/campaigns/${id}`, marketing.token)).body as StaffCampaignView;
    expect(made.form.fields.map((f) => [f.key, f.label, f.type])).toEqual([
      ['field_1', '年龄', 'number'],
      ['field_3', '超声心动图', 'images'],
      ['field_2', 'NYHA 分级', 'single_choice'],
    ]);
    expect(made.form.fields[0]).toMatchObject({ unit: '岁', min: 0, max: 120, integer: true, required: true });
    expect(made.form.fields[2]).toMatchObject({ options: ['II 级', 'III 级', 'IV 级'] });
    expect(made).toMatchObject({ title, topics: ['heart_failure'], state: 'open', opensAt: '2020-01-01T00:00:00.000Z' });

    const doctor = await makeDoctor(stack, { until: 'verified' });
    const open = (await stack.http.get('/api/cases/campaigns', doctor.token)).body.items as { id: string }[];
    expect(open.map((c) => c.id)).toContain(id);

    await m.getByRole('button', { name: '提前结束' }).click();
    await m.getByRole('button', { name: '确认提前结束' }).click();
    await expect.poll(() => m.locator('.callout.ok').innerText()).toBe('征集已结束。');
    expect(((await stack.http.get(`/api/admin/cases/campaigns/${id}`, marketing.token)).body as StaffCampaignView).state).toBe('closed');
    await m.context().close();
  });

  it("lets an admin change the engine's thresholds (checked first), which marketing may read but not change", async () => {
    const admin = await makeStaff(stack, 'admin');
    const a = await signedIn(admin);
    await a.getByRole('link', { name: '引擎设置' }).click();
    await a.locator('input[name=halfLifeDays]').fill('0');
    await a.locator('input[name="lifecycle.dormantDays"]').fill('60');
    await a.locator('label.chip:has(input[name="kol.hospitalLevels"][value="三级乙等"])').click();
    await a.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => a.locator('.fielderror').allInnerTexts()).toEqual(['数值太小。']);
    expect((await stack.http.get('/api/admin/engine/settings', admin.token)).body.lifecycle.dormantDays).not.toBe(60);

    await a.locator('input[name=halfLifeDays]').fill('45');
    await a.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => a.locator('.callout.ok').innerText()).toContain('已保存');
    const saved = (await stack.http.get('/api/admin/engine/settings', admin.token)).body;
    expect(saved.halfLifeDays).toBe(45);
    expect(saved.lifecycle.dormantDays).toBe(60);
    expect(saved.kol.hospitalLevels).toContain('三级乙等');
    const audit = (await stack.http.get('/api/admin/audit?targetType=engine', admin.token)).body.items as { action: string; actor: { id: string } }[];
    expect(audit[0]).toMatchObject({ action: 'engine.settings', actor: { id: admin.id } });
    await a.context().close();

    const m = await signedIn(await makeStaff(stack, 'marketing'));
    await m.getByRole('link', { name: '引擎设置' }).click();
    await expect.poll(() => m.locator('input[name=halfLifeDays]').inputValue()).toBe('45');
    expect(await m.locator('input[name=halfLifeDays]').isDisabled()).toBe(true);
    expect(await m.getByRole('button', { name: '保存设置' }).count()).toBe(0);
    await m.context().close();
  });
});


interface StaffCampaignView {
  title: string;
  state: string;
  form: { fields: { key: string; label: string; type: string }[] };
}

/**
 * The fake WeChat server answers as shared/WECHAT.md says the real one does, and our WeChat
 * client uses it the way production must use WeChat (cached token, refresh once on 40001).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEC_CHECK_RULES } from '../src/dev/fakeWechat.js';
import { WechatApiError } from '../src/platform/wechat.js';
import { loginDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let openid: string;
beforeAll(async () => {
  stack = await startStack();
  openid = (await loginDoctor(stack)).openid;
});
afterAll(() => stack.close());

const raw = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.fake.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res;
};
const token = () => stack.deps.wechat.accessToken();

describe('fake WeChat: access tokens', () => {
  it('issues tokens from /cgi-bin/token and /cgi-bin/stable_token, refusing a wrong secret', async () => {
    const { appid, secret } = stack.config.wechat;
    const t = await (await raw('GET', `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`)).json();
    expect(t).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    const s = await (await raw('POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret })).json();
    expect(s.expires_in).toBe(7200);
    const bad = await (await raw('GET', `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=nope`)).json();
    expect(bad.errcode).toBe(40125);
  });

  it('our client caches the token server-wide and refreshes once on 40001', async () => {
    const before = await stack.fakeCall('GET', '/__fake/stats');
    await Promise.all([token(), token(), token()]);
    await token();
    const cached = await stack.fakeCall('GET', '/__fake/stats');
    expect(cached.tokensIssued - before.tokensIssued).toBeLessThanOrEqual(1);

    await stack.fakeCall('POST', '/__fake/expire-tokens');
    const verdict = await stack.deps.wechat.msgSecCheck({ content: '你好', openid, scene: 2 });
    expect(verdict.suggest).toBe('pass');
    const after = await stack.fakeCall('GET', '/__fake/stats');
    expect(after.tokensIssued - cached.tokensIssued).toBe(1);
  });

  it('answers 42001 for an expired token and 40001 for an unknown one', async () => {
    const { appid, secret } = stack.config.wechat;
    const t = await (await raw('GET', `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`)).json();
    const check = (tok: string) => raw('POST', `/wxa/msg_sec_check?access_token=${encodeURIComponent(tok)}`, { content: 'x', version: 2, scene: 1, openid }).then((r) => r.json());
    expect((await check(t.access_token)).errcode).toBe(0);
    stack.clock.advance(7201 * 1000);
    expect((await check(t.access_token)).errcode).toBe(42001);
    expect((await check('fake-at-unknown')).errcode).toBe(40001);
    // Our client notices its own cached token is stale and fetches a new one.
    expect(await stack.deps.wechat.msgSecCheck({ content: '你好', openid, scene: 2 })).toEqual({ suggest: 'pass', label: 100 });
  });
});

describe('fake WeChat: subscribe messages', () => {
  const msg = (over: Record<string, unknown> = {}) => ({
    touser: openid,
    template_id: 'hcp360-live-reminder',
    page: 'pages/index/index',
    data: { thing1: { value: '高血压诊疗进展' }, time2: { value: '2026-12-01 19:00' }, thing3: { value: '北京协和医院 张教授' } },
    ...over,
  });
  const send = (m: ReturnType<typeof msg>) => stack.deps.wechat.sendSubscribeMessage(m as never);
  const codeOf = async (p: Promise<unknown>) => ((await p.then(() => null, (e) => e)) as WechatApiError | null)?.errcode;

  it('refuses without an accepted subscription (43101), then sends exactly one per acceptance', async () => {
    expect(await codeOf(send(msg()))).toBe(43101);
    await stack.fakeCall('POST', '/__fake/subscriptions', { openid, template_id: 'hcp360-live-reminder' });
    await send(msg());
    expect(await codeOf(send(msg()))).toBe(43101);
    const sent = await stack.fakeCall('GET', '/__fake/sent-messages');
    expect(sent.items).toHaveLength(1);
    expect(sent.items[0]).toMatchObject({ touser: openid, template_id: 'hcp360-live-reminder', lang: 'zh_CN' });
  });

  it('checks openid (40003), template (40037), data (47003) and page (41030)', async () => {
    await stack.fakeCall('POST', '/__fake/subscriptions', { openid, template_id: 'hcp360-live-reminder' });
    expect(await codeOf(send(msg({ touser: 'nobody' })))).toBe(40003);
    expect(await codeOf(send(msg({ template_id: 'nope' })))).toBe(40037);
    expect(await codeOf(send(msg({ data: { thing1: { value: 'x' } } })))).toBe(47003);
    expect(await codeOf(send(msg({ page: 'pages/nowhere/index' })))).toBe(41030);
  });
});

describe('fake WeChat: mini-program codes, phone numbers, content security', () => {
  it('returns a real PNG for getwxacodeunlimit', async () => {
    const png = await stack.deps.wechat.getUnlimitedQrCode({ scene: 'l=42&r=7', page: 'pages/index/index', width: 300 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(200);
  });

  it('refuses a scene over 32 characters (40169) and an unknown page (41030)', async () => {
    const code = async (p: Promise<unknown>) => ((await p.then(() => null, (e) => e)) as WechatApiError).errcode;
    expect(await code(stack.deps.wechat.getUnlimitedQrCode({ scene: 'x'.repeat(33), page: 'pages/index/index' }))).toBe(40169);
    expect(await code(stack.deps.wechat.getUnlimitedQrCode({ scene: 'ok', page: 'pages/none/index' }))).toBe(41030);
  });

  it('answers getuserphonenumber with phone_info once per code', async () => {
    const { code } = await stack.fakeCall('POST', '/__fake/phone-code', { phoneNumber: '13700001234' });
    const info = await stack.deps.wechat.getPhoneNumber(code);
    expect(info).toMatchObject({ phoneNumber: '13700001234', purePhoneNumber: '13700001234', countryCode: '86' });
    await expect(stack.deps.wechat.getPhoneNumber(code)).rejects.toMatchObject({ code: 'PHONE_CODE_INVALID' });
  });

  it('gives msg_sec_check verdicts from its documented keyword list', async () => {
    for (const rule of SEC_CHECK_RULES) {
      const v = await stack.deps.wechat.msgSecCheck({ content: `病例描述……${rule.keyword}……`, openid, scene: 2 });
      expect(v).toEqual({ suggest: rule.suggest, label: rule.label });
    }
    expect(await stack.deps.wechat.msgSecCheck({ content: '患者男，65岁，高血压病史10年', openid, scene: 2 })).toEqual({ suggest: 'pass', label: 100 });
  });
});

/**
 * The reminder job against the fake WeChat: one subscribe message per accepted subscription,
 * LIVE_REMINDER_LEAD_MINUTES before the start, exactly once with two job runners on two
 * connection pools at once and a re-run; the subscription is consumed; 43101 is recorded and not
 * retried; a WeChat that does not answer is retried; cancellation notices go to subscribers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveNotices } from '../src/domains/live/notices.js';
import { buildDeps } from '../src/server.js';
import { makeDoctor, type TestDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';
import { atTime, liveStaff, scheduledLive, type LiveStaff } from './liveSupport.js';

let stack: Stack;
let s: LiveStaff;
const TEMPLATE = 'hcp360-live-reminder';

beforeAll(async () => {
  stack = await startStack({ engine: false });
  s = await liveStaff(stack);
});
afterAll(async () => {
  await stack?.close();
});

async function subscribedDoctor(liveId: string, acceptInWechat = true): Promise<TestDoctor> {
  const d = await makeDoctor(stack);
  if (acceptInWechat) await stack.fakeCall('POST', '/__fake/subscriptions', { openid: d.openid, template_id: TEMPLATE });
  const res = await stack.http.post(`/api/lives/${liveId}/registrations`, { subscribed: true }, d.token);
  expect(res.body).toEqual({ registered: true, subscribed: true });
  return d;
}

const sentFor = async (liveId: string) =>
  ((await stack.fakeCall('GET', '/__fake/sent-messages')).items as any[]).filter((m) => m.page === `pages/live/index?id=${liveId}`);
const noticeStates = async (liveId: string) => {
  const [rows] = await stack.deps.pool.query('SELECT hcp_id, notice_state, notice_errcode FROM live_registrations WHERE live_id = ? ORDER BY id', [liveId]);
  return rows as { hcp_id: string; notice_state: string; notice_errcode: number | null }[];
};

describe('reminders', () => {
  it('sends each accepted subscription exactly one reminder, with two runners at once and a re-run; 43101 is recorded', async () => {
    const { id } = await scheduledLive(stack, s, { title: '慢阻肺急性加重的早期识别与处理策略（第二期）' });
    const start = Date.parse((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.startAt);
    const accepted = await Promise.all(Array.from({ length: 6 }, () => subscribedDoctor(id)));
    const refused = await subscribedDoctor(id, false); // said yes in the app, but WeChat holds no subscription: 43101
    const notSubscribed = await makeDoctor(stack);
    await stack.http.post(`/api/lives/${id}/registrations`, {}, notSubscribed.token);

    // Not yet due: nothing is sent.
    expect(await runLiveNotices(stack.deps)).toEqual({ sent: 0, failed: 0, retry: 0 });
    expect(await sentFor(id)).toEqual([]);

    const other = buildDeps(stack.config, stack.databaseUrl, { clock: stack.clock.now, log: stack.deps.log });
    try {
      await atTime(stack, start - 30 * 60_000 + 1000, async () => {
        const [a, b] = await Promise.all([runLiveNotices(stack.deps), runLiveNotices(other)]);
        expect(a.sent + b.sent).toBe(6);
        expect(a.failed + b.failed).toBe(1);
        const again = await Promise.all([runLiveNotices(stack.deps), runLiveNotices(other)]);
        expect(again).toEqual([{ sent: 0, failed: 0, retry: 0 }, { sent: 0, failed: 0, retry: 0 }]);
      });
    } finally {
      await other.pool.end();
    }

    const sent = await sentFor(id);
    expect(sent.map((m) => m.touser).sort()).toEqual(accepted.map((d) => d.openid).sort());
    expect(sent[0]).toMatchObject({
      template_id: TEMPLATE,
      data: { thing1: { value: '慢阻肺急性加重的早期识别与处理策略（第…' }, time2: { value: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/) }, thing3: { value: '直播即将开始，点击进入观看' } },
    });
    const states = await noticeStates(id);
    expect(states.filter((r) => r.notice_state === 'sent').length).toBe(6);
    expect(states.find((r) => r.hcp_id === refused.id)).toMatchObject({ notice_state: 'failed', notice_errcode: 43101 });
    expect(states.find((r) => r.hcp_id === notSubscribed.id)).toMatchObject({ notice_state: 'none' });

    // The subscriptions were consumed: WeChat itself would refuse a second message now.
    const direct = await stack.deps.wechat.sendSubscribeMessage({ touser: accepted[0]!.openid, template_id: TEMPLATE, data: { thing1: { value: 'x' }, time2: { value: 'x' }, thing3: { value: 'x' } } }).catch((e) => e);
    expect(direct.errcode).toBe(43101);

    const report = (await stack.http.get(`/api/admin/lives/${id}/report`, s.marketing.token)).body;
    expect([report.remindersSent, report.remindersFailed]).toEqual([6, 1]);
  });

  it('records other WeChat errors per registration without retrying them, and retries when WeChat does not answer', async () => {
    const { id } = await scheduledLive(stack, s);
    const start = Date.parse((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.startAt);
    const [first, second] = [await subscribedDoctor(id), await subscribedDoctor(id)];
    await atTime(stack, start - 60_000, async () => {
      await stack.fakeCall('POST', '/__fake/faults', { api: 'subscribe_send', errcode: 47003, times: 1 });
      await stack.fakeCall('POST', '/__fake/faults', { api: 'subscribe_send', errcode: -1, times: 1 });
      // the fault table holds one fault per API: the later (-1, busy) replaced the former
      const run = await runLiveNotices(stack.deps);
      expect(run).toEqual({ sent: 1, failed: 0, retry: 1 });
      const retried = await runLiveNotices(stack.deps);
      expect(retried).toEqual({ sent: 1, failed: 0, retry: 0 });
      await stack.fakeCall('POST', '/__fake/faults', { api: 'subscribe_send', errcode: 40003, times: 1 });
      const late = await subscribedDoctor(id);
      expect(await runLiveNotices(stack.deps)).toEqual({ sent: 0, failed: 1, retry: 0 });
      expect((await noticeStates(id)).find((r) => r.hcp_id === late.id)).toMatchObject({ notice_state: 'failed', notice_errcode: 40003 });
      expect(await runLiveNotices(stack.deps)).toEqual({ sent: 0, failed: 0, retry: 0 });
    });
    expect((await sentFor(id)).map((m) => m.touser).sort()).toEqual([first.openid, second.openid].sort());
  });

  it('tells subscribers a live stream was cancelled, with their one message', async () => {
    const { id } = await scheduledLive(stack, s);
    const d = await subscribedDoctor(id);
    const plain = await makeDoctor(stack);
    await stack.http.post(`/api/lives/${id}/registrations`, {}, plain.token);
    expect((await stack.http.post(`/api/admin/lives/${id}/cancel`, { comment: '讲者临时有手术' }, s.rep.token)).body.status).toBe('cancelled');
    expect(await runLiveNotices(stack.deps)).toEqual({ sent: 1, failed: 0, retry: 0 });
    const sent = await sentFor(id);
    expect(sent.map((m) => [m.touser, m.data.thing3.value])).toEqual([[d.openid, '本场直播已取消，敬请谅解']]);
    expect(await runLiveNotices(stack.deps)).toEqual({ sent: 0, failed: 0, retry: 0 });
    // the reminder is not sent later either
    const start = Date.parse((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.startAt);
    await atTime(stack, start - 60_000, async () => expect(await runLiveNotices(stack.deps)).toEqual({ sent: 0, failed: 0, retry: 0 }));
  });
});

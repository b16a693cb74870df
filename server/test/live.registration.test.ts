/**
 * Live streams for doctors over HTTP: what the 直播 tab lists, registration open and closed,
 * audience and Rx gating, the subscription recorded, attribution from a poster scene and a share
 * card, heartbeats with gaps turned into minutes (by the engine and in the staff report), peak
 * concurrent viewers, and the CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEvent, makeDoctor, postEvents, type TestDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';
import { atTime, liveStaff, makeSegment, scheduledLive, applyLive, soon, type LiveStaff } from './liveSupport.js';

let stack: Stack;
let s: LiveStaff;
let verified: TestDoctor;
let unverified: TestDoctor;

beforeAll(async () => {
  stack = await startStack();
  s = await liveStaff(stack);
  [verified, unverified] = await Promise.all([makeDoctor(stack, { until: 'verified' }), makeDoctor(stack)]);
});
afterAll(async () => {
  await stack?.close();
});

const register = (id: string, d: TestDoctor, body: unknown = {}) => stack.http.post(`/api/lives/${id}/registrations`, body, d.token);
const listIds = async (d: TestDoctor) => ((await stack.http.get('/api/lives', d.token)).body.items as { id: string }[]).map((i) => i.id);

describe('registration', () => {
  it('is closed (409 REGISTRATION_CLOSED) until compliance approval, and the tab does not list the live stream', async () => {
    const id = await applyLive(stack, s.rep);
    const closed = await register(id, verified);
    expect([closed.status, closed.body.error.code]).toEqual([409, 'REGISTRATION_CLOSED']);
    expect(await listIds(verified)).not.toContain(id);
    expect((await stack.http.get(`/api/lives/${id}`, verified.token)).status).toBe(404);
    await stack.http.post(`/api/admin/lives/${id}/dept-approve`, {}, s.manager.token);
    expect((await register(id, verified)).body.error.code).toBe('REGISTRATION_CLOSED');
    await stack.http.post(`/api/admin/lives/${id}/compliance-approve`, {}, s.compliance.token);

    const open = await register(id, verified, { subscribed: true });
    expect([open.status, open.body]).toEqual([200, { registered: true, subscribed: true }]);
    const item = (await stack.http.get('/api/lives', verified.token)).body.items.find((i: any) => i.id === id);
    expect(item).toMatchObject({ id, status: 'scheduled', registered: true, rxOnly: false, topics: ['hypertension'] });
    expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'title', 'startAt', 'endAt', 'status', 'topics', 'rxOnly', 'registered']));
    const detail = (await stack.http.get(`/api/lives/${id}`, verified.token)).body;
    expect(detail).toMatchObject({ id, registered: true, subscribed: true, playUrl: null, replayUrl: null, reminderTemplateId: 'hcp360-live-reminder', reminderLeadMinutes: 30 });
    expect(detail.speakers).toEqual([{ name: '王建国', hospital: '北京协和医院', title: '主任医师' }]);
  });

  it('records whether the doctor accepted the reminder subscription, adds it on a second registration, never removes it', async () => {
    const { id } = await scheduledLive(stack, s);
    const d = await makeDoctor(stack);
    expect((await register(id, d)).body).toEqual({ registered: true, subscribed: false });
    const state = async () => ((await stack.deps.pool.query('SELECT subscribed, notice_state FROM live_registrations WHERE live_id = ? AND hcp_id = ?', [id, d.id]))[0] as any[])[0];
    expect(await state()).toEqual({ subscribed: 0, notice_state: 'none' });
    expect((await register(id, d, { subscribed: true })).body).toEqual({ registered: true, subscribed: true });
    expect(await state()).toEqual({ subscribed: 1, notice_state: 'pending' });
    expect((await register(id, d, { subscribed: false })).body).toEqual({ registered: true, subscribed: true });
    const [count] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM live_registrations WHERE live_id = ? AND hcp_id = ?', [id, d.id]);
    expect(Number((count as any[])[0].n)).toBe(1);
  });

  it('closes when the live stream has ended or was cancelled; stays open while it is live', async () => {
    const { id } = await scheduledLive(stack, s, soon(stack, 2, 5));
    const start = Date.parse((await stack.http.get(`/api/lives/${id}`, verified.token)).body.startAt);
    await atTime(stack, start + 60_000, async () => expect((await register(id, verified)).status).toBe(200));
    const ended = await atTime(stack, start + 6 * 60_000, () => register(id, unverified));
    expect([ended.status, ended.body.error.code, ended.body.error.details]).toEqual([409, 'REGISTRATION_CLOSED', { status: 'ended' }]);

    const c = await scheduledLive(stack, s);
    await register(c.id, unverified);
    await stack.http.post(`/api/admin/lives/${c.id}/cancel`, { comment: '讲者临时出诊' }, s.rep.token);
    expect((await register(c.id, verified)).body.error.code).toBe('REGISTRATION_CLOSED');
    // the registered doctor still sees it, as cancelled; others no longer do
    expect((await stack.http.get('/api/lives', unverified.token)).body.items.find((i: any) => i.id === c.id)).toMatchObject({ status: 'cancelled', registered: true });
    expect(await listIds(verified)).not.toContain(c.id);
  });

  it('answers 404 to a doctor outside the audience and lists it only for members', async () => {
    const member = await makeDoctor(stack, { profile: { city: '直播测试市' } });
    const segment = await makeSegment(stack, s.marketing, [member], '直播测试市');
    const { id } = await scheduledLive(stack, s, { segmentIds: [segment] });
    const outsider = await register(id, verified);
    expect([outsider.status, outsider.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await stack.http.get(`/api/lives/${id}`, verified.token)).status).toBe(404);
    expect(await listIds(verified)).not.toContain(id);
    expect(await listIds(member)).toContain(id);
    expect((await register(id, member)).status).toBe(200);
  });

  it('needs a verified doctor for an Rx-only live stream (403 RX_ONLY) and shows the notice', async () => {
    const { id } = await scheduledLive(stack, s, { rxOnly: true, title: '新型降糖药物的处方要点' });
    const refused = await register(id, unverified);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'RX_ONLY']);
    expect((await stack.http.get(`/api/lives/${id}`, unverified.token)).body.error.code).toBe('RX_ONLY');
    expect(await listIds(unverified)).not.toContain(id);
    expect(await listIds(verified)).toContain(id);
    expect((await register(id, verified)).status).toBe(200);
    expect((await stack.http.get(`/api/lives/${id}`, verified.token)).body.notice).toBe('本资料仅供医学药学专业人士阅读');
  });

  it('validates the body and the id', async () => {
    const { id } = await scheduledLive(stack, s);
    expect((await register(id, verified, { subscribed: 'yes' })).status).toBe(400);
    expect((await register(id, verified, { hcpId: '1' })).status).toBe(400);
    expect((await register('0', verified)).status).toBe(400);
    expect((await register('99999999', verified)).status).toBe(404);
    expect((await stack.http.post(`/api/lives/${id}/registrations`, {}, s.rep.token)).status).toBe(403);
    expect((await stack.http.post(`/api/lives/${id}/registrations`, {})).status).toBe(401);
  });
});

describe('attribution', () => {
  it('credits the rep whose poster code the doctor scanned, and a share card\'s inviter; first touch wins', async () => {
    const { id } = await scheduledLive(stack, s);
    const view = (await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body;
    const share2 = await stack.http.post(`/api/admin/lives/${id}/share`, {}, s.rep2.token);
    expect(share2.status).toBe(200);
    expect(share2.body.sharePath).toBe(`pages/live/index?id=${id}&inviter=r${s.rep2.id}`);
    expect(share2.body.sceneToken).not.toBe(view.sceneToken);
    expect((await stack.http.post(`/api/admin/lives/${id}/share`, {}, s.rep2.token)).body.sceneToken).toBe(share2.body.sceneToken);

    const [byPoster, byPoster2, byShare, direct] = await Promise.all([makeDoctor(stack), makeDoctor(stack), makeDoctor(stack), makeDoctor(stack)]);
    const scene = (await stack.http.get(`/api/lives/scenes/${view.sceneToken}`, byPoster.token)).body;
    expect(scene).toEqual({ liveId: id, inviter: `r${s.rep.id}` });
    await register(id, byPoster, { scene: view.sceneToken, inviter: scene.inviter, subscribed: true });
    await register(id, byPoster2, { scene: share2.body.sceneToken });
    await register(id, byShare, { inviter: `r${s.rep2.id}` });
    await register(id, direct, { inviter: 'r999999', scene: 'unknown1' });
    // a second registration through another rep's poster changes nothing
    await register(id, byPoster, { scene: share2.body.sceneToken });

    const report = (await stack.http.get(`/api/admin/lives/${id}/report`, s.marketing.token)).body;
    const row = (d: TestDoctor) => report.rows.find((r: any) => r.hcpId === d.id);
    expect([row(byPoster).via, row(byPoster).repId]).toEqual(['poster', s.rep.id]);
    expect([row(byPoster2).via, row(byPoster2).repId]).toEqual(['poster', s.rep2.id]);
    expect([row(byShare).via, row(byShare).repId]).toEqual(['share', s.rep2.id]);
    expect([row(direct).via, row(direct).repId]).toEqual(['direct', null]);
    expect(report.reps.map((r: any) => [r.repId, r.registrations, [...r.doctors].sort()])).toEqual([
      [s.rep2.id, 2, [byPoster2.id, byShare.id].sort()],
      [s.rep.id, 1, [byPoster.id]],
    ]);
    // a scene of another live stream does not attribute this one
    const other = await scheduledLive(stack, s);
    const d = await makeDoctor(stack);
    await register(other.id, d, { scene: view.sceneToken });
    expect((await stack.http.get(`/api/admin/lives/${other.id}/report`, s.marketing.token)).body.rows[0]).toMatchObject({ via: 'direct', repId: null });
  });
});

describe('attendance', () => {
  it('counts minutes with a heartbeat (gaps do not count) in the engine and the report, with peak concurrent viewers and CSV', async () => {
    const { id } = await scheduledLive(stack, s, { ...soon(stack, 1, 9), topics: ['copd'] });
    const [a, b] = await Promise.all([makeDoctor(stack), makeDoctor(stack)]);
    for (const d of [a, b]) expect((await register(id, d)).status).toBe(200);
    const start = Date.parse((await stack.http.get(`/api/lives/${id}`, a.token)).body.startAt);
    const beat = (d: TestDoctor, offsetS: number) => anEvent(stack, 'live_heartbeat', { live_id: id, page: 'pages/live/index', position_s: offsetS }, start + offsetS * 1000);
    await atTime(stack, start + 8.5 * 60_000, async () => {
      // a open during the live: playUrl given, viewer recorded
      const detail = (await stack.http.get(`/api/lives/${id}`, a.token)).body;
      expect(detail.status).toBe('live');
      expect(detail.playUrl).toMatch(/^\/live-demo\/hcp[0-9a-f]{16}\.mp4$/);
      const video = await fetch(`${stack.url}${detail.playUrl}`);
      expect([video.status, video.headers.get('content-type')]).toEqual([200, 'video/mp4']);
      // a: minutes 0 and 1 (every 30 s), a 5-minute gap, then minute 7: 3 minutes
      await postEvents(stack, a, [0, 30, 60, 90, 420, 450].map((t) => beat(a, t)));
      // b: minutes 1 and 7 — together with a at both, so the peak is 2
      await postEvents(stack, b, [75, 440].map((t) => beat(b, t)));
      // a heartbeat of another live stream is not this one's
      await postEvents(stack, b, [anEvent(stack, 'live_heartbeat', { live_id: '999999' }, start + 200_000)]);
      // the engine (tags/activity.ts) counts the same minutes
      await expect
        .poll(
          async () => {
            // The tagger waits out id gaps by the clock (gapWaitMs); let the test clock move on.
            stack.clock.advance(1000);
            return (await stack.http.get(`/api/admin/hcps/${a.id}`, s.marketing.token)).body.counters?.live_minutes;
          },
          { timeout: 10_000, interval: 200 },
        )
        .toBe(3);
      const profile = (await stack.http.get(`/api/admin/hcps/${a.id}`, s.marketing.token)).body;
      expect(profile.counters.lives_attended).toBe(1);
      expect(profile.affinities.map((x: any) => x.topic)).toContain('copd');
    });

    const report = (await stack.http.get(`/api/admin/lives/${id}/report`, s.manager.token)).body;
    expect(report).toMatchObject({ id, registrations: 2, attendees: 2, attendanceMinutes: 5, peakConcurrentViewers: 2 });
    expect(report.rows.find((r: any) => r.hcpId === a.id).minutes).toBe(3);
    expect(report.rows.find((r: any) => r.hcpId === b.id).minutes).toBe(2);

    const csv = await stack.http.request('GET', `/api/admin/lives/${id}/report.csv`, { token: s.marketing.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"医生ID","姓名","医院","科室","报名时间","订阅提醒","提醒状态","观看分钟","回放次数","来源","代表ID","代表"');
    expect(lines.length).toBe(3);
    expect(lines[1]).toContain(`"${a.id}","张伟"`);
    expect(lines[1]).toContain('"3"');
  });

  it('shows the replay after the end, and counts replay views', async () => {
    const { id } = await scheduledLive(stack, s, soon(stack, 1, 2));
    const d = await makeDoctor(stack);
    const detail = (await stack.http.get(`/api/lives/${id}`, d.token)).body;
    const end = Date.parse(detail.endAt);
    await atTime(stack, end + 60_000, async () => {
      expect((await stack.http.get(`/api/lives/${id}`, d.token)).body).toMatchObject({ status: 'ended', playUrl: null, replayUrl: null, hasReplay: false });
      await stack.http.post(`/api/admin/lives/${id}/replay`, { replayUrl: 'https://example.com/replay.mp4' }, s.rep.token);
      const after = (await stack.http.get(`/api/lives/${id}`, d.token)).body;
      expect(after).toMatchObject({ status: 'ended', replayUrl: 'https://example.com/replay.mp4', hasReplay: true });
      expect((await stack.http.get('/api/lives', d.token)).body.items.find((i: any) => i.id === id)).toMatchObject({ status: 'ended', hasReplay: true });
      await postEvents(stack, d, [anEvent(stack, 'live_replay_view', { live_id: id, watched_ms: 60_000 })]);
      const report = (await stack.http.get(`/api/admin/lives/${id}/report`, s.marketing.token)).body;
      expect(report.rows.find((r: any) => r.hcpId === d.id)).toMatchObject({ replayViews: 1, minutes: 0, via: 'none' });
    });
  });
});

/**
 * The live-stream workflow over HTTP: apply → department approval → compliance approval →
 * scheduled → live → ended, each forbidden step (wrong state, wrong role, self-approval), what
 * compliance approval hands out (stream key, URLs, poster with the mini-program code) and who may
 * see it, cancel, overrun and replay, and the audit trail.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDoctor, makeStaff, signInAgain } from './factories.js';
import { startStack, type Stack } from './harness.js';
import { anApplication, applyLive, atTime, auditActions, liveStaff, scheduledLive, soon, type LiveStaff } from './liveSupport.js';
import { LIVE_PAGE, POSTER } from '../src/domains/live/streams.js';

let stack: Stack;
let s: LiveStaff;
const HOUR = 3_600_000;

beforeAll(async () => {
  stack = await startStack({ engine: false });
  s = await liveStaff(stack);
});
afterAll(async () => {
  await stack?.close();
});

const post = (id: string, action: string, token: string, body: unknown = {}) => stack.http.post(`/api/admin/lives/${id}/${action}`, body, token);

describe('the approval path', () => {
  it('goes applied → dept_approved → scheduled → live → ended, audited at every step', async () => {
    const id = await applyLive(stack, s.rep, soon(stack, 5, 5));
    expect((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.status).toBe('applied');

    const dept = await post(id, 'dept-approve', s.manager.token, { comment: '科室会议安排合理' });
    expect(dept.status).toBe(200);
    expect(dept.body).toEqual({ id, status: 'dept_approved' });

    const compliance = await post(id, 'compliance-approve', s.compliance.token);
    expect(compliance.status, JSON.stringify(compliance.body)).toBe(200);
    expect(compliance.body).toMatchObject({ id, status: 'scheduled' });
    expect(compliance.body.streamKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(compliance.body.pushUrl).toBe(`rtmp://127.0.0.1:1935/live/${/live\/(hcp[0-9a-f]{16})\?/.exec(compliance.body.pushUrl)![1]}?key=${compliance.body.streamKey}`);
    expect(compliance.body.playUrl).toMatch(/^\/live-demo\/hcp[0-9a-f]{16}\.mp4$/);
    expect(compliance.body.playUrl).not.toContain(compliance.body.streamKey);
    expect(compliance.body.posterUrl).toMatch(/^\/media\/[0-9a-f]{32}\.png$/);

    const view = (await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body;
    expect(view.reviews.map((r: any) => [r.step, r.decision, r.by])).toEqual([
      ['dept', 'approved', s.manager.id],
      ['compliance', 'approved', s.compliance.id],
    ]);
    expect(view.reviews[0].comment).toBe('科室会议安排合理');

    const start = Date.parse(view.startAt);
    await atTime(stack, start + 60_000, async () => expect((await stack.http.get(`/api/admin/lives/${id}`, s.marketing.token)).body.status).toBe('live'));
    await atTime(stack, Date.parse(view.endAt), async () => expect((await stack.http.get(`/api/admin/lives/${id}`, s.marketing.token)).body.status).toBe('ended'));

    expect(await auditActions(stack, id)).toEqual(['live.apply', 'live.dept-approve', 'live.compliance-approve']);
    const [rows] = await stack.deps.pool.query("SELECT actor_id, actor_role, detail FROM audit_log WHERE target_type = 'live' AND target_id = ? ORDER BY id", [id]);
    const audit = rows as { actor_id: string; actor_role: string; detail: string }[];
    expect(audit.map((a) => a.actor_role)).toEqual(['rep', 'manager', 'compliance']);
    expect(JSON.parse(audit[2]!.detail)).toMatchObject({ from: 'dept_approved', to: 'scheduled' });
    // the secret itself is not written to the audit log
    expect(audit[2]!.detail).not.toContain(compliance.body.streamKey);
  });

  it('makes no stream key, play URL or poster before compliance approval', async () => {
    const before = await stack.fakeCall('GET', '/__fake/stats');
    const id = await applyLive(stack, s.rep);
    await post(id, 'dept-approve', s.manager.token);
    const view = (await stack.http.get(`/api/admin/lives/${id}`, s.marketing.token)).body;
    for (const field of ['streamKey', 'pushUrl', 'playUrl', 'posterUrl', 'sceneToken']) expect(view).not.toHaveProperty(field);
    const [rows] = await stack.deps.pool.query('SELECT stream_key, play_url FROM lives WHERE id = ?', [id]);
    expect((rows as any[])[0]).toEqual({ stream_key: null, play_url: null });
    const [scenes] = await stack.deps.pool.query('SELECT token FROM live_scenes WHERE live_id = ?', [id]);
    expect(scenes).toEqual([]);
    expect((await stack.fakeCall('GET', '/__fake/stats')).wxacode).toBe(before.wxacode);
  });

  it('composes the poster as a PNG holding the mini-program code whose scene names the live stream and the rep', async () => {
    const { id, approval } = await scheduledLive(stack, s, { title: '心衰患者的容量管理' });
    const view = (await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body;
    expect(view.posterUrl).toBe(approval.posterUrl);
    expect(view.sceneToken).toMatch(/^[A-Za-z0-9]{1,32}$/);
    expect(view.sharePath).toBe(`${LIVE_PAGE}?id=${id}&inviter=r${s.rep.id}`);

    const res = await fetch(`${stack.url}${approval.posterUrl}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const poster = Buffer.from(await res.arrayBuffer());
    expect(poster.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const meta = await sharp(poster).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', POSTER.width, POSTER.height]);

    // The code WeChat makes for that scene and page is in the poster, pixel for pixel.
    const code = await stack.deps.wechat.getUnlimitedQrCode({ scene: view.sceneToken, page: LIVE_PAGE, width: POSTER.qrSize });
    const expected = await sharp(code).resize(POSTER.qrSize, POSTER.qrSize, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const inPoster = await sharp(poster).extract({ left: POSTER.qrLeft, top: POSTER.qrTop, width: POSTER.qrSize, height: POSTER.qrSize }).removeAlpha().raw().toBuffer();
    expect(inPoster.equals(expected)).toBe(true);

    const doctor = await makeDoctor(stack);
    const scene = await stack.http.get(`/api/lives/scenes/${view.sceneToken}`, doctor.token);
    expect(scene.status).toBe(200);
    expect(scene.body).toEqual({ liveId: id, inviter: `r${s.rep.id}` });
    const unknown = await stack.http.get('/api/lives/scenes/nosuchscene', doctor.token);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'SCENE_INVALID']);
  });

  it('rolls back compliance approval when WeChat refuses the code (45009), and succeeds on retry', async () => {
    const id = await applyLive(stack, s.rep);
    await post(id, 'dept-approve', s.manager.token);
    await stack.fakeCall('POST', '/__fake/faults', { api: 'getwxacodeunlimit', errcode: 45009 });
    const refused = await post(id, 'compliance-approve', s.compliance.token);
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([503, 'WECHAT_UNAVAILABLE', { errcode: 45009 }]);
    expect((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.status).toBe('dept_approved');
    expect((await post(id, 'compliance-approve', s.compliance.token)).body.status).toBe('scheduled');
  });

  it('lets marketing apply; the poster of marketing\'s live stream names no rep', async () => {
    const { id } = await scheduledLive(stack, s, {}, s.marketing);
    const view = (await stack.http.get(`/api/admin/lives/${id}`, s.marketing.token)).body;
    expect(view.applicant).toMatchObject({ id: s.marketing.id, role: 'marketing' });
    expect(view.sharePath).toBe(`${LIVE_PAGE}?id=${id}`);
    const doctor = await makeDoctor(stack);
    expect((await stack.http.get(`/api/lives/scenes/${view.sceneToken}`, doctor.token)).body).toEqual({ liveId: id, inviter: null });
  });
});

describe('forbidden steps', () => {
  it('answers 409 INVALID_TRANSITION for a step the state does not allow', async () => {
    const id = await applyLive(stack, s.rep);
    const early = await post(id, 'compliance-approve', s.compliance.token);
    expect([early.status, early.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect(early.body.error.details).toEqual({ status: 'applied', allowed: ['dept-approve', 'reject', 'cancel'] });
    expect((await post(id, 'replay', s.rep.token, { replayUrl: 'https://example.com/r.mp4' })).status).toBe(409);
    expect((await post(id, 'extend', s.rep.token, { endAt: new Date(stack.clock.now() + 9 * 24 * HOUR).toISOString() })).status).toBe(409);
    expect((await post(id, 'end', s.rep.token)).status).toBe(409);
    await post(id, 'dept-approve', s.manager.token);
    const twice = await post(id, 'dept-approve', s.manager.token);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    await post(id, 'compliance-approve', s.compliance.token);
    expect((await post(id, 'compliance-approve', s.compliance.token)).status).toBe(409);
    expect((await post(id, 'reject', s.compliance.token, { comment: '晚了' })).status).toBe(409);
  });

  it('keeps rejected and cancelled live streams final', async () => {
    const rejected = await applyLive(stack, s.rep);
    expect((await post(rejected, 'reject', s.manager.token, { comment: '讲者资质材料不全' })).body).toEqual({ id: rejected, status: 'rejected' });
    for (const [action, token] of [['dept-approve', s.manager.token], ['compliance-approve', s.compliance.token], ['cancel', s.rep.token], ['reject', s.manager.token]] as const) {
      const res = await post(rejected, action, token, { comment: 'x' });
      expect([action, res.status]).toEqual([action, 409]);
    }
    const cancelled = await applyLive(stack, s.rep);
    expect((await post(cancelled, 'cancel', s.rep.token, { comment: '讲者时间冲突' })).body).toEqual({ id: cancelled, status: 'cancelled' });
    expect((await post(cancelled, 'dept-approve', s.manager.token)).status).toBe(409);
  });

  it('lets only the step\'s role act: reps and marketing cannot approve, compliance cannot take the department step', async () => {
    const id = await applyLive(stack, s.rep);
    for (const who of [s.rep, s.rep2, s.marketing, s.compliance]) {
      const res = await post(id, 'dept-approve', who.token);
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const wrongStep = await post(id, 'reject', s.compliance.token, { comment: '不批' });
    expect([wrongStep.status, wrongStep.body.error.code]).toEqual([403, 'FORBIDDEN']);
    await post(id, 'dept-approve', s.manager.token);
    expect((await post(id, 'compliance-approve', s.manager.token)).status).toBe(403);
    expect((await post(id, 'reject', s.manager.token, { comment: '不批' })).status).toBe(403);
    const doctor = await makeDoctor(stack);
    expect((await post(id, 'compliance-approve', doctor.token)).status).toBe(403);
    expect((await stack.http.post('/api/admin/lives', anApplication(stack), doctor.token)).status).toBe(403);
    expect((await stack.http.post('/api/admin/lives', anApplication(stack), s.manager.token)).status).toBe(403);
  });

  it('refuses self-approval: an applicant who is now a reviewer cannot approve their own application (403 SELF_APPROVAL_FORBIDDEN)', async () => {
    const applicant = await makeStaff(stack, 'marketing');
    const id = await applyLive(stack, applicant);
    await stack.deps.pool.query("UPDATE staff SET role = 'manager' WHERE id = ?", [applicant.id]);
    const asManager = await signInAgain(stack, applicant);
    const self = await post(id, 'dept-approve', asManager.token);
    expect([self.status, self.body.error.code]).toEqual([403, 'SELF_APPROVAL_FORBIDDEN']);
    expect((await post(id, 'dept-approve', s.manager.token)).status).toBe(200);
    await stack.deps.pool.query("UPDATE staff SET role = 'compliance' WHERE id = ?", [applicant.id]);
    const asCompliance = await signInAgain(stack, applicant);
    const selfCompliance = await post(id, 'compliance-approve', asCompliance.token);
    expect([selfCompliance.status, selfCompliance.body.error.code]).toEqual([403, 'SELF_APPROVAL_FORBIDDEN']);
    const selfReject = await post(id, 'reject', asCompliance.token, { comment: '自己驳回' });
    expect(selfReject.body.error.code).toBe('SELF_APPROVAL_FORBIDDEN');
    expect((await stack.http.get(`/api/admin/lives/${id}`, s.marketing.token)).body.status).toBe('dept_approved');
  });

  it('needs a reason to reject, and shows it to the applicant at either step', async () => {
    const id = await applyLive(stack, s.rep);
    const bare = await post(id, 'reject', s.manager.token, {});
    expect([bare.status, bare.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    await post(id, 'dept-approve', s.manager.token);
    expect((await post(id, 'reject', s.compliance.token, { comment: '讲者利益冲突声明缺失' })).body.status).toBe('rejected');
    const mine = (await stack.http.get('/api/admin/lives', s.rep.token)).body.items.find((l: any) => l.id === id);
    expect(mine.status).toBe('rejected');
    expect(mine.reviews.map((r: any) => [r.step, r.decision, r.comment])).toEqual([
      ['dept', 'approved', null],
      ['compliance', 'rejected', '讲者利益冲突声明缺失'],
    ]);
  });

  it('validates applications: fields, times, segments', async () => {
    const bad = await stack.http.post('/api/admin/lives', anApplication(stack, { title: '', speakers: [], topics: ['nope'] }), s.rep.token);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['speakers', 'title', 'topics.0']);
    const backwards = anApplication(stack);
    const swapped = await stack.http.post('/api/admin/lives', { ...backwards, endAt: backwards.startAt }, s.rep.token);
    expect(swapped.body.error.details[0].path).toBe('endAt');
    const past = await stack.http.post('/api/admin/lives', anApplication(stack, { startAt: new Date(stack.clock.now() - HOUR).toISOString(), endAt: new Date(stack.clock.now() + HOUR).toISOString() }), s.rep.token);
    expect([past.status, past.body.error.details[0].path]).toEqual([400, 'startAt']);
    const segment = await stack.http.post('/api/admin/lives', anApplication(stack, { segmentIds: ['987654'] }), s.rep.token);
    expect([segment.status, segment.body.error.code]).toEqual([400, 'UNKNOWN_SEGMENT']);
    expect(segment.body.error.details).toEqual({ missing: ['987654'] });
    const smuggled = await stack.http.post('/api/admin/lives', anApplication(stack, { status: 'scheduled' }), s.rep.token);
    expect(smuggled.status).toBe(400);
    expect((await stack.http.post('/api/admin/lives/abc/dept-approve', {}, s.manager.token)).status).toBe(400);
    expect((await stack.http.post('/api/admin/lives/999999/dept-approve', {}, s.manager.token)).status).toBe(404);
  });
});

describe('who sees what', () => {
  it('shows a rep only their own applications and stream keys (IDOR)', async () => {
    const { id, approval } = await scheduledLive(stack, s);
    const mine = await stack.http.get(`/api/admin/lives/${id}`, s.rep.token);
    expect(mine.body.streamKey).toBe(approval.streamKey);
    expect(mine.body.pushUrl).toBe(approval.pushUrl);

    const other = await stack.http.get(`/api/admin/lives/${id}`, s.rep2.token);
    expect([other.status, other.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(JSON.stringify(other.body)).not.toContain(approval.streamKey);
    const list = await stack.http.get('/api/admin/lives', s.rep2.token);
    expect(list.body.items.map((l: any) => l.id)).not.toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(approval.streamKey);
    expect((await stack.http.get(`/api/admin/lives/${id}/report`, s.rep2.token)).status).toBe(404);
    expect((await stack.http.get(`/api/admin/lives/${id}/report.csv`, s.rep2.token)).status).toBe(404);
    expect((await post(id, 'cancel', s.rep2.token)).status).toBe(404);

    // the rep list holds only the rep's own applications
    const repList = (await stack.http.get('/api/admin/lives', s.rep.token)).body.items as any[];
    const [own] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM lives WHERE applicant_id = ?', [s.rep.id]);
    expect(repList.length).toBe(Number((own as any[])[0].n));
    expect(repList.every((l) => l.applicant.id === s.rep.id)).toBe(true);

    // staff reviewers see the key; doctors never reach the staff routes
    expect((await stack.http.get(`/api/admin/lives/${id}`, s.compliance.token)).body.streamKey).toBe(approval.streamKey);
    const doctor = await makeDoctor(stack);
    expect((await stack.http.get(`/api/admin/lives/${id}`, doctor.token)).status).toBe(403);
    const asDoctor = await stack.http.get(`/api/lives/${id}`, doctor.token);
    expect(JSON.stringify(asDoctor.body)).not.toContain(approval.streamKey);
  });
});

describe('cancel, overrun and replay', () => {
  it('lets the applicant or marketing cancel before the start, not after', async () => {
    const a = await scheduledLive(stack, s);
    expect((await post(a.id, 'cancel', s.rep.token, { comment: '讲者临时有手术' })).body.status).toBe('cancelled');
    const b = await scheduledLive(stack, s);
    expect((await post(b.id, 'cancel', s.marketing.token)).body.status).toBe('cancelled');
    const c = await scheduledLive(stack, s, soon(stack, 2, 5));
    const start = Date.parse((await stack.http.get(`/api/admin/lives/${c.id}`, s.rep.token)).body.startAt);
    const late = await atTime(stack, start + 1000, () => post(c.id, 'cancel', s.rep.token));
    expect([late.status, late.body.error.code, late.body.error.details.status]).toEqual([409, 'INVALID_TRANSITION', 'live']);
  });

  it('extends an overrunning live stream, ends it by hand, then attaches the replay', async () => {
    const { id } = await scheduledLive(stack, s, soon(stack, 2, 5));
    const view = (await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body;
    const saved = stack.clock.ms;
    const end = Date.parse(view.endAt);
    stack.clock.ms = end - 5 * 60_000;
    const tooEarly = await post(id, 'extend', s.rep.token, { endAt: new Date(end - 60_000).toISOString() });
    expect([tooEarly.status, tooEarly.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await post(id, 'extend', s.rep.token, { endAt: new Date(end + 10 * 60_000).toISOString(), comment: '讨论热烈' })).body.status).toBe('live');
    stack.clock.ms = end + 5 * 60_000;
    expect((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.status).toBe('live');
    expect((await post(id, 'replay', s.rep.token, { replayUrl: 'https://example.com/replay.mp4' })).status).toBe(409);
    expect((await post(id, 'end', s.rep.token)).body.status).toBe('ended');
    expect((await post(id, 'extend', s.rep.token, { endAt: new Date(end + 60 * 60_000).toISOString() })).status).toBe(409);
    const bad = await post(id, 'replay', s.rep.token, { replayUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect((await post(id, 'replay', s.marketing.token, { replayUrl: 'https://example.com/replay.mp4' })).body.status).toBe('ended');
    expect((await stack.http.get(`/api/admin/lives/${id}`, s.rep.token)).body.replayUrl).toBe('https://example.com/replay.mp4');
    expect(await auditActions(stack, id)).toEqual(['live.apply', 'live.dept-approve', 'live.compliance-approve', 'live.extend', 'live.end', 'live.replay']);
    stack.clock.ms = saved;
  });
});

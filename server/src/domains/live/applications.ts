/**
 * Live streams in the console and the rep pages: apply (rep or marketing), the approval steps,
 * cancel, overrun (extend, end), replay, and the staff views. Each step runs in one transaction
 * with the live stream locked and writes its audit entry in that same transaction. Reps only
 * ever see their own applications (404 for anyone else's), so a stream key cannot leak to
 * another rep.
 */
import type { LiveAction, LiveAdminListQuery, LiveApplyInput, LiveShareResponse, LiveStaffView, LiveTransitionResponse } from '@hcp360/shared';
import type { z } from 'zod';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type Db, type PoolConnection, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { assertSegmentsExist } from '../tags/segments.js';
import { presentForStaff } from './presenters.js';
import { extrasOf, findLive, insertLive, listLives, registrationCounts, sceneFor, updateLive, type LiveRow } from './repo.js';
import { ensurePoster, makeStream, sharePathOf } from './streams.js';
import { assertLiveAllowed, assertMayReview, assertOwnerOrMarketing, effectiveEnd, liveStatus } from './workflow.js';

export type LiveStepInput = { comment?: string; endAt?: string; replayUrl?: string };

async function staffNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map();
  const [rows] = await db.query<RowDataPacket[]>('SELECT id, display_name FROM staff WHERE id IN (?)', [wanted]);
  return new Map(rows.map((r) => [String(r.id), String(r.display_name)]));
}

async function present(db: Db, actor: Principal, rows: LiveRow[], now: number): Promise<LiveStaffView[]> {
  const ids = rows.map((r) => r.id);
  const [extras, names, counts] = await Promise.all([
    extrasOf(db, ids),
    staffNames(db, rows.flatMap((r) => [r.applicant_id, r.dept_reviewer_id, r.compliance_reviewer_id])),
    registrationCounts(db, ids),
  ]);
  const out: LiveStaffView[] = [];
  for (const l of rows) {
    const scene = l.stream_key ? await sceneFor(db, l.id, l.applicant_role === 'rep' ? l.applicant_id : null) : undefined;
    out.push(presentForStaff(l, extras, { actor, now, names, registrations: counts.get(l.id) ?? 0, ...(scene && { scene: { token: scene.token, posterUrl: `/media/${scene.poster_name}` } }) }));
  }
  return out;
}

/** A live stream `actor` may see: staff other than reps see all; a rep only their own (else 404). */
export async function visibleLiveFor(db: Db, actor: Principal, id: string, forUpdate = false): Promise<LiveRow> {
  const live = await findLive(db, id, forUpdate);
  if (!live || (actor.role === 'rep' && live.applicant_id !== actor.id)) throw new AppError('NOT_FOUND', `No live stream ${id}.`);
  return live;
}

export async function applyForLive(deps: Deps, actor: Principal, input: LiveApplyInput): Promise<{ id: string; status: 'applied' }> {
  const now = deps.clock();
  if (Date.parse(input.startAt) <= now) throw new AppError('VALIDATION_FAILED', 'startAt: the start must be in the future', [{ path: 'startAt', message: '开始时间须晚于现在' }]);
  await assertSegmentsExist(deps.pool, input.segmentIds);
  return inTransaction(deps.pool, async (conn) => {
    const id = await insertLive(conn, { id: actor.id, role: actor.role }, input, now);
    await recordAudit(conn, { actor, action: 'live.apply', targetType: 'live', targetId: id, detail: { title: input.title, startAt: input.startAt, endAt: input.endAt, rxOnly: input.rxOnly, segmentIds: input.segmentIds } }, now);
    return { id, status: 'applied' as const };
  });
}

export async function transitionLive(deps: Deps, actor: Principal, id: string, action: LiveAction, input: LiveStepInput): Promise<LiveTransitionResponse> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const live = await visibleLiveFor(conn, actor, id, true);
    const from = assertLiveAllowed(action, live, now);
    const extra = await apply(deps, conn, { live, actor, action, input, now, from });
    const updated = (await findLive(conn, id))!;
    const to = liveStatus(updated, now);
    await recordAudit(conn, { actor, action: `live.${action}`, targetType: 'live', targetId: id, detail: { from, to, comment: input.comment ?? null, ...extra.audit } }, now);
    return { id, status: to, ...extra.answer };
  });
}

interface Step {
  live: LiveRow;
  actor: Principal;
  action: LiveAction;
  input: LiveStepInput;
  now: number;
  from: ReturnType<typeof liveStatus>;
}

async function apply(deps: Deps, conn: PoolConnection, s: Step): Promise<{ answer?: Partial<LiveTransitionResponse>; audit?: Record<string, unknown> }> {
  const { live, actor, now } = s;
  const at = new Date(now);
  const comment = s.input.comment ?? null;
  switch (s.action) {
    case 'dept-approve':
      assertMayReview(actor, s.from, live.applicant_id);
      await updateLive(conn, live.id, { status: 'dept_approved', dept_reviewer_id: actor.id, dept_reviewed_at: at, dept_comment: comment }, now);
      return {};
    case 'compliance-approve': {
      assertMayReview(actor, s.from, live.applicant_id);
      if (live.start_at.getTime() <= now) {
        throw new AppError('INVALID_TRANSITION', 'The start time of this live stream has passed; it can no longer be scheduled.', { status: s.from, allowed: ['reject', 'cancel'] });
      }
      const stream = makeStream(deps.config);
      const speakers = (await extrasOf(conn, [live.id])).speakers.get(live.id) ?? [];
      const poster = await ensurePoster(deps, conn, live, speakers, live.applicant_role === 'rep' ? live.applicant_id : null, now);
      await updateLive(
        conn,
        live.id,
        { status: 'scheduled', compliance_reviewer_id: actor.id, compliance_reviewed_at: at, compliance_comment: comment, stream_name: stream.streamName, stream_key: stream.streamKey, push_url: stream.pushUrl, play_url: stream.playUrl },
        now,
      );
      return { answer: { streamKey: stream.streamKey, pushUrl: stream.pushUrl, playUrl: stream.playUrl, posterUrl: poster.posterUrl }, audit: { streamName: stream.streamName, sceneToken: poster.token } };
    }
    case 'reject': {
      assertMayReview(actor, s.from, live.applicant_id);
      const step = s.from === 'applied' ? 'dept' : 'compliance';
      await updateLive(conn, live.id, { status: 'rejected', rejected_step: step, [`${step}_reviewer_id`]: actor.id, [`${step}_reviewed_at`]: at, [`${step}_comment`]: comment }, now);
      return { audit: { step } };
    }
    case 'cancel': {
      assertOwnerOrMarketing(actor, live.applicant_id);
      await updateLive(conn, live.id, { status: 'cancelled', cancelled_by: actor.id, cancelled_at: at, cancel_comment: comment }, now);
      // Doctors who accepted the reminder subscription get the cancellation instead (the live job sends it).
      const [res] = await conn.query<ResultSetHeader>(
        "UPDATE live_registrations SET notice_kind = 'cancellation' WHERE live_id = ? AND notice_state = 'pending'",
        [live.id],
      );
      return { audit: { notified: res.affectedRows } };
    }
    case 'extend': {
      assertOwnerOrMarketing(actor, live.applicant_id);
      const endAt = Date.parse(s.input.endAt ?? '');
      if (!Number.isFinite(endAt) || endAt <= Math.max(now, live.end_at.getTime())) {
        throw new AppError('VALIDATION_FAILED', 'endAt: the new end must be later than now and than the booked end', [{ path: 'endAt', message: '新的结束时间须晚于现在和原定结束时间' }]);
      }
      if (endAt - live.start_at.getTime() > 24 * 3_600_000) throw new AppError('VALIDATION_FAILED', 'endAt: a live stream lasts at most 24 hours', [{ path: 'endAt', message: '直播总时长最多 24 小时' }]);
      await updateLive(conn, live.id, { end_at: new Date(endAt) }, now);
      return { audit: { previousEnd: live.end_at.toISOString(), endAt: new Date(endAt).toISOString() } };
    }
    case 'end':
      assertOwnerOrMarketing(actor, live.applicant_id);
      await updateLive(conn, live.id, { ended_at: at }, now);
      return { audit: { bookedEnd: new Date(effectiveEnd(live)).toISOString() } };
    case 'replay': {
      assertOwnerOrMarketing(actor, live.applicant_id);
      if (!s.input.replayUrl) throw new AppError('VALIDATION_FAILED', 'replayUrl is required');
      await updateLive(conn, live.id, { replay_url: s.input.replayUrl }, now);
      return { audit: { replayUrl: s.input.replayUrl } };
    }
  }
}

export async function listLivesForStaff(deps: Deps, actor: Principal, q: z.output<typeof LiveAdminListQuery>): Promise<{ items: LiveStaffView[] }> {
  const now = deps.clock();
  const mine = actor.role === 'rep' || q.mine === '1';
  const rows = await listLives(deps.pool, { ...(mine && { applicantId: actor.id }), limit: q.status ? 500 : q.limit });
  const items = await present(deps.pool, actor, rows, now);
  return { items: (q.status ? items.filter((i) => i.status === q.status) : items).slice(0, q.limit) };
}

export async function liveForStaff(deps: Deps, actor: Principal, id: string): Promise<LiveStaffView> {
  const live = await visibleLiveFor(deps.pool, actor, id);
  return (await present(deps.pool, actor, [live], deps.clock()))[0]!;
}

/** A rep's own poster and share path for a scheduled live stream (any rep may promote one); marketing gets the live stream's own. */
export async function shareLive(deps: Deps, actor: Principal, id: string): Promise<LiveShareResponse> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const live = await findLive(conn, id, true);
    if (!live || live.status !== 'scheduled') throw new AppError('NOT_FOUND', `No scheduled live stream ${id}.`);
    if (liveStatus(live, now) === 'ended') throw new AppError('INVALID_TRANSITION', 'This live stream has ended.', { status: 'ended', allowed: [] });
    const repId = actor.role === 'rep' ? actor.id : null;
    const speakers = (await extrasOf(conn, [live.id])).speakers.get(live.id) ?? [];
    const poster = await ensurePoster(deps, conn, live, speakers, repId, now);
    return { sceneToken: poster.token, posterUrl: poster.posterUrl, sharePath: sharePathOf(live.id, repId) };
  });
}

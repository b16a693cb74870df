/**
 * Live streams for doctors (DESIGN §7): the 直播 tab's list, one live stream, registration and
 * poster scenes. A doctor sees scheduled live streams aimed at everyone or at a segment they are
 * in (the engine's segment_members); Rx-only ones only when verified (listed otherwise nowhere,
 * and 403 RX_ONLY when opened from a link). Anything else is 404, so its existence is not
 * revealed — except registering for a live stream that is not (or no longer) open, which is 409
 * REGISTRATION_CLOSED as the contract says.
 */
import { decodeInviter, encodeInviter, type LiveDetail, type LiveListResponse, type LiveRegisterInput, type LiveRegisterResponse, type LiveSceneResponse } from '@hcp360/shared';
import type { RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { viewerOf, type Viewer } from '../content/eligibility.js';
import { liveNotice, presentCard } from './presenters.js';
import { doctorCandidates, extrasOf, findLive, findScene, recordViewer, registrationsOfDoctor, type LiveExtras, type LiveRow } from './repo.js';
import { liveStatus } from './workflow.js';

/** Ended live streams stay on the tab (as replays) this long. */
const ENDED_SHOWN_DAYS = 90;

function inAudience(l: LiveRow, extras: LiveExtras, viewer: Viewer): boolean {
  return l.audience_all === 1 || (extras.segments.get(l.id) ?? []).some((s) => viewer.segmentIds.includes(s));
}

/** The doctor-visible statuses: scheduled (and so live, ended), and cancelled for those registered. */
function visibleStatus(l: LiveRow, registered: boolean): boolean {
  return l.status === 'scheduled' || (l.status === 'cancelled' && registered);
}

export async function livesForDoctor(deps: Deps, hcpId: string): Promise<LiveListResponse> {
  const now = deps.clock();
  const [viewer, rows] = await Promise.all([viewerOf(deps.pool, hcpId), doctorCandidates(deps.pool, hcpId, now, ENDED_SHOWN_DAYS)]);
  const ids = rows.map((r) => r.id);
  const [extras, regs] = await Promise.all([extrasOf(deps.pool, ids), registrationsOfDoctor(deps.pool, hcpId, ids)]);
  const rank = { live: 0, scheduled: 1, ended: 2, cancelled: 3 } as Record<string, number>;
  const items = rows
    .filter((l) => inAudience(l, extras, viewer) && (l.rx_only === 0 || viewer.verified))
    .map((l) => presentCard(l, extras, now, regs.has(l.id)))
    .sort((a, b) => (rank[a.status] ?? 9) - (rank[b.status] ?? 9) || (a.status === 'ended' ? b.startAt.localeCompare(a.startAt) : a.startAt.localeCompare(b.startAt)));
  return { items };
}

/** The live stream if `hcpId` may open it (404 / 403 RX_ONLY otherwise). */
async function openable(deps: Deps, hcpId: string, id: string, opts: { rx: boolean }): Promise<{ live: LiveRow; extras: LiveExtras; viewer: Viewer }> {
  const [live, viewer] = await Promise.all([findLive(deps.pool, id), viewerOf(deps.pool, hcpId)]);
  if (!live) throw new AppError('NOT_FOUND', 'No such live stream.');
  const extras = await extrasOf(deps.pool, [id]);
  if (!inAudience(live, extras, viewer)) throw new AppError('NOT_FOUND', 'No such live stream.');
  if (opts.rx && live.rx_only === 1 && !viewer.verified) throw new AppError('RX_ONLY');
  return { live, extras, viewer };
}

export async function liveForDoctor(deps: Deps, hcpId: string, id: string): Promise<LiveDetail> {
  const now = deps.clock();
  const { live, extras } = await openable(deps, hcpId, id, { rx: false });
  const reg = (await registrationsOfDoctor(deps.pool, hcpId, [id])).get(id);
  if (!visibleStatus(live, !!reg)) throw new AppError('NOT_FOUND', 'No such live stream.');
  if (live.rx_only === 1 && !(await viewerOf(deps.pool, hcpId)).verified) throw new AppError('RX_ONLY');
  const status = liveStatus(live, now);
  const playing = status === 'live' || (status === 'ended' && live.replay_url !== null);
  if (playing) await recordViewer(deps.pool, id, hcpId, now);
  return {
    ...presentCard(live, extras, now, !!reg),
    description: live.description,
    subscribed: reg?.subscribed === 1,
    playUrl: status === 'live' ? live.play_url : null,
    replayUrl: status === 'ended' ? live.replay_url : null,
    reminderTemplateId: deps.config.live.reminderTemplateId,
    reminderLeadMinutes: deps.config.live.reminderLeadMinutes,
    ...liveNotice(live),
  };
}

/** What a poster code's scene stands for; the page then shows the live stream and registers with the scene. */
export async function resolveScene(deps: Deps, token: string): Promise<LiveSceneResponse> {
  const scene = await findScene(deps.pool, token);
  if (!scene) throw new AppError('SCENE_INVALID');
  return { liveId: scene.live_id, inviter: scene.rep_id ? encodeInviter({ kind: 'rep', id: scene.rep_id }) : null };
}

interface Attribution {
  via: 'poster' | 'share' | 'direct';
  sceneToken: string | null;
  repId: string | null;
  hcpId: string | null;
}

/** Who brought the doctor to this registration: a poster scene of this live stream, else a share card's inviter. */
async function attributionOf(deps: Deps, liveId: string, hcpId: string, input: LiveRegisterInput): Promise<Attribution> {
  if (input.scene) {
    const scene = await findScene(deps.pool, input.scene);
    if (scene && scene.live_id === liveId) return { via: 'poster', sceneToken: scene.token, repId: scene.rep_id, hcpId: null };
  }
  const inviter = decodeInviter(input.inviter);
  if (inviter?.kind === 'rep') {
    const [rows] = await deps.pool.query<RowDataPacket[]>("SELECT id FROM staff WHERE id = ? AND role = 'rep'", [inviter.id]);
    if (rows.length) return { via: 'share', sceneToken: null, repId: inviter.id, hcpId: null };
  }
  if (inviter?.kind === 'hcp' && inviter.id !== hcpId) return { via: 'share', sceneToken: null, repId: null, hcpId: inviter.id };
  return { via: 'direct', sceneToken: null, repId: null, hcpId: null };
}

/**
 * POST /api/lives/:id/registrations. Open while scheduled or live. Registering again is fine
 * (the answer is the same); it can add the subscription a first registration lacked, never take
 * one away, and never changes who brought the doctor (first touch wins).
 */
export async function registerForLive(deps: Deps, hcpId: string, id: string, input: LiveRegisterInput): Promise<LiveRegisterResponse> {
  const now = deps.clock();
  const { live } = await openable(deps, hcpId, id, { rx: false });
  const status = liveStatus(live, now);
  if (status !== 'scheduled' && status !== 'live') {
    throw new AppError('REGISTRATION_CLOSED', status === 'ended' ? 'This live stream has ended.' : `Registration is not open (${status}).`, { status });
  }
  if (live.rx_only === 1 && !(await viewerOf(deps.pool, hcpId)).verified) throw new AppError('RX_ONLY');
  const a = await attributionOf(deps, id, hcpId, input);
  const subscribed = input.subscribed === true ? 1 : 0;
  await deps.pool.query(
    `INSERT INTO live_registrations (live_id, hcp_id, registered_at, subscribed, via, scene_token, inviter_rep_id, inviter_hcp_id, notice_kind, notice_state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reminder', ?)
     ON DUPLICATE KEY UPDATE
       notice_state = CASE WHEN notice_state = 'none' AND VALUES(subscribed) = 1 THEN 'pending' ELSE notice_state END,
       subscribed = CASE WHEN VALUES(subscribed) = 1 THEN 1 ELSE subscribed END`,
    [id, hcpId, new Date(now), subscribed, a.via, a.sceneToken, a.repId, a.hcpId, subscribed ? 'pending' : 'none'],
  );
  const reg = (await registrationsOfDoctor(deps.pool, hcpId, [id])).get(id);
  return { registered: true, subscribed: reg?.subscribed === 1 };
}

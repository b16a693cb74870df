/**
 * The live job: one WeChat subscribe message per accepted one-time subscription — the reminder
 * LIVE_REMINDER_LEAD_MINUTES before the start, or the cancellation notice when the live stream was
 * cancelled. Exactly once across re-runs and server instances: a run claims due registrations with
 * SELECT … FOR UPDATE SKIP LOCKED (DESIGN §10), marks them `sending` with its claim id and commits
 * before calling WeChat, so another runner skips rows being claimed and never sees claimed ones
 * again. WeChat's answer is recorded per registration: sent, or failed with the errcode (43101 the
 * doctor did not accept or already used it, 40003 bad openid, 47003 bad data…), which is not
 * retried. Only "WeChat did not answer" and -1 (busy) go back to pending, at most MAX_ATTEMPTS
 * times. A run that dies after claiming leaves `sending` rows: at most once, never twice.
 */
import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from '../../platform/db.js';
import { againOnDeadlock, inTransaction } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { WechatApiError } from '../../platform/wechat.js';
import { openidOf } from '../identity/service.js';
import { chinaTime, LIVE_PAGE } from './streams.js';

const BATCH = 50;
const MAX_ATTEMPTS = 3;

export interface NoticeRunResult {
  sent: number;
  failed: number;
  retry: number;
}

interface Claimed extends RowDataPacket {
  id: string;
  live_id: string;
  hcp_id: string;
  notice_kind: 'reminder' | 'cancellation';
  notice_attempts: number;
  title: string;
  start_at: Date;
}

/**
 * Claims up to BATCH due notices for this run (skipping rows another runner holds). Two runners at
 * once can deadlock over the notice index they both change (one's next-key locks from its claim
 * against the other's index entries for `sending` or for an outcome); the victim is run again.
 */
function claim(deps: Pick<Deps, 'pool' | 'config'>, now: number, claimId: string): Promise<Claimed[]> {
  return againOnDeadlock(() => claimOnce(deps, now, claimId));
}

async function claimOnce(deps: Pick<Deps, 'pool' | 'config'>, now: number, claimId: string): Promise<Claimed[]> {
  return inTransaction(deps.pool, async (conn) => {
    const [due] = await conn.query<RowDataPacket[]>(
      `SELECT id FROM lives WHERE status = 'scheduled' AND start_at <= ? AND COALESCE(ended_at, end_at) > ?`,
      [new Date(now + deps.config.live.reminderLeadMinutes * 60_000), new Date(now)],
    );
    const dueIds = due.map((r) => String(r.id));
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id FROM live_registrations
        WHERE notice_state = 'pending' AND (notice_kind = 'cancellation'${dueIds.length ? " OR (notice_kind = 'reminder' AND live_id IN (?))" : ''})
        ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
      dueIds.length ? [dueIds, BATCH] : [BATCH],
    );
    const ids = rows.map((r) => String(r.id));
    if (ids.length === 0) return [];
    await conn.query("UPDATE live_registrations SET notice_state = 'sending', notice_claim = ?, notice_attempts = notice_attempts + 1 WHERE id IN (?)", [claimId, ids]);
    const [claimed] = await conn.query<Claimed[]>(
      `SELECT r.id, r.live_id, r.hcp_id, r.notice_kind, r.notice_attempts, l.title, l.start_at
         FROM live_registrations r JOIN lives l ON l.id = r.live_id WHERE r.id IN (?) ORDER BY r.id`,
      [ids],
    );
    return claimed;
  });
}

/** WeChat `thing` values hold at most 20 characters. */
const thing = (s: string) => ([...s].length > 20 ? `${[...s].slice(0, 19).join('')}…` : s);

async function deliver(deps: Pick<Deps, 'pool' | 'config' | 'wechat'>, n: Claimed): Promise<{ state: 'sent' | 'failed' | 'pending'; errcode: number | null; errmsg: string | null }> {
  const openid = await openidOf(deps.pool, deps.config.wechat.appid, n.hcp_id);
  if (!openid) return { state: 'failed', errcode: null, errmsg: 'no WeChat identity for this doctor' };
  try {
    await deps.wechat.sendSubscribeMessage({
      touser: openid,
      template_id: deps.config.live.reminderTemplateId,
      page: `${LIVE_PAGE}?id=${n.live_id}`,
      data: {
        thing1: { value: thing(n.title) },
        time2: { value: chinaTime(n.start_at.getTime()) },
        thing3: { value: n.notice_kind === 'cancellation' ? '本场直播已取消，敬请谅解' : '直播即将开始，点击进入观看' },
      },
      ...(deps.config.env === 'production' ? { miniprogram_state: 'formal' as const } : {}),
    });
    return { state: 'sent', errcode: null, errmsg: null };
  } catch (err) {
    const retryable = (err instanceof AppError && err.code === 'WECHAT_UNAVAILABLE') || (err instanceof WechatApiError && err.errcode === -1);
    const errcode = err instanceof WechatApiError ? err.errcode : null;
    const errmsg = (err instanceof WechatApiError ? err.errmsg : (err as Error).message).slice(0, 200);
    return { state: retryable && n.notice_attempts < MAX_ATTEMPTS ? 'pending' : 'failed', errcode, errmsg };
  }
}

/** One run: claims and sends until nothing is due. Safe to run anywhere, any number of times at once. */
export async function runLiveNotices(deps: Pick<Deps, 'pool' | 'config' | 'wechat' | 'clock' | 'log'>): Promise<NoticeRunResult> {
  const result: NoticeRunResult = { sent: 0, failed: 0, retry: 0 };
  const claimId = randomBytes(12).toString('hex');
  for (;;) {
    const now = deps.clock();
    const batch = await claim(deps, now, claimId);
    for (const n of batch) {
      const outcome = await deliver(deps, n);
      // Only this run's claim is updated, so doing it again after a deadlock changes nothing else.
      await againOnDeadlock(() =>
        deps.pool.query(
          "UPDATE live_registrations SET notice_state = ?, notice_at = ?, notice_errcode = ?, notice_errmsg = ?, notice_claim = NULL WHERE id = ? AND notice_claim = ? AND notice_state = 'sending'",
          [outcome.state, new Date(deps.clock()), outcome.errcode, outcome.errmsg, n.id, claimId],
        ),
      );
      if (outcome.state === 'sent') result.sent++;
      else if (outcome.state === 'failed') result.failed++;
      else result.retry++;
      if (outcome.state !== 'sent') deps.log.warn({ registration: n.id, live: n.live_id, errcode: outcome.errcode }, 'live notice not sent');
    }
    // Rows put back for a retry wait for the next run rather than spinning here.
    if (batch.length < BATCH || result.retry > 0) return result;
  }
}

export interface LiveJobs {
  /** One run now (tests and the scheduler); concurrent calls share the run in flight. */
  runOnce(): Promise<NoticeRunResult>;
  stop(): Promise<void>;
}

/** Starts the periodic live job in a server process (main.ts); stop() waits for a run in flight. */
export function startLiveJobs(deps: Pick<Deps, 'pool' | 'config' | 'wechat' | 'clock' | 'log'>, opts: { intervalMs?: number } = {}): LiveJobs {
  let running: Promise<NoticeRunResult> | undefined;
  let stopped = false;
  const runOnce = () => {
    running ??= runLiveNotices(deps).finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    void runOnce().catch((err) => deps.log.error({ err: { message: (err as Error).message } }, 'live notices run failed'));
  }, opts.intervalMs ?? deps.config.live.jobIntervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

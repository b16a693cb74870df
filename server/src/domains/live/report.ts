/**
 * The staff report of one live stream: registrations, minutes attended per doctor, peak
 * concurrent viewers, reminders, and which rep brought whom — as JSON and as CSV.
 * Attendance is counted as the HCP360 engine counts it (tags/activity.ts): a minute counts when at
 * least one live_heartbeat of this live stream arrived in it, so gaps do not count. Peak concurrent
 * viewers is the most doctors with a heartbeat in the same minute. Heartbeats are read for the
 * doctors who registered or opened the page (live_viewers), by (hcp_id, time) — the events
 * table's own index — and picked by `live_id` here (no JSON functions in SQL: TiDB/MySQL subset).
 */
import type { LiveReport, LiveReportRow } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import type { RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { visibleLiveFor } from './applications.js';
import { registrationsOfLive, viewersOf } from './repo.js';
import { effectiveEnd, liveStatus } from './workflow.js';

/** Heartbeats this long before the start or after the end still count (clock skew, early doors). */
const SLACK_MS = 30 * 60_000;

const REMINDER_LABELS: Record<string, string> = { none: '未订阅', pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败' };

export async function liveReport(deps: Deps, actor: Principal, id: string): Promise<LiveReport> {
  const now = deps.clock();
  const live = await visibleLiveFor(deps.pool, actor, id);
  const regs = await registrationsOfLive(deps.pool, id);
  const viewers = await viewersOf(deps.pool, id);
  const hcpIds = [...new Set([...regs.map((r) => String(r.hcp_id)), ...viewers])];

  const minutes = new Map<string, Set<number>>();
  const replays = new Map<string, number>();
  const perMinute = new Map<number, Set<string>>();
  if (hcpIds.length) {
    const [events] = await deps.pool.query<RowDataPacket[]>(
      `SELECT hcp_id, type, client_ts, props FROM events
        WHERE hcp_id IN (?) AND client_ts >= ? AND type IN ('live_heartbeat', 'live_replay_view')`,
      [hcpIds, new Date(live.start_at.getTime() - SLACK_MS)],
    );
    const end = effectiveEnd(live) + SLACK_MS;
    for (const e of events) {
      let props: { live_id?: unknown };
      try {
        props = JSON.parse(String(e.props)) as { live_id?: unknown };
      } catch {
        continue;
      }
      if (props.live_id !== id) continue;
      const hcp = String(e.hcp_id);
      const ts = (e.client_ts as Date).getTime();
      if (e.type === 'live_replay_view') {
        replays.set(hcp, (replays.get(hcp) ?? 0) + 1);
        continue;
      }
      if (ts > end) continue;
      const minute = Math.floor(ts / 60_000);
      (minutes.get(hcp) ?? minutes.set(hcp, new Set()).get(hcp)!).add(minute);
      (perMinute.get(minute) ?? perMinute.set(minute, new Set()).get(minute)!).add(hcp);
    }
  }

  const [people] = hcpIds.length
    ? await deps.pool.query<RowDataPacket[]>('SELECT id, name, hospital, department FROM hcps WHERE id IN (?)', [hcpIds])
    : [[] as RowDataPacket[]];
  const person = new Map(people.map((p) => [String(p.id), p]));
  const repIds = [...new Set(regs.map((r) => r.inviter_rep_id).filter((r): r is string => !!r))];
  const [reps] = repIds.length ? await deps.pool.query<RowDataPacket[]>('SELECT id, display_name FROM staff WHERE id IN (?)', [repIds]) : [[] as RowDataPacket[]];
  const repName = new Map(reps.map((r) => [String(r.id), String(r.display_name)]));
  const regOf = new Map(regs.map((r) => [String(r.hcp_id), r]));

  const rows: LiveReportRow[] = hcpIds.map((hcpId) => {
    const r = regOf.get(hcpId);
    const p = person.get(hcpId);
    const rep = r?.inviter_rep_id ? String(r.inviter_rep_id) : null;
    return {
      hcpId,
      name: p?.name ?? null,
      hospital: p?.hospital ?? null,
      department: p?.department ?? null,
      registeredAt: r ? r.registered_at.toISOString() : null,
      subscribed: r?.subscribed === 1,
      reminder: r ? r.notice_state : 'none',
      minutes: minutes.get(hcpId)?.size ?? 0,
      replayViews: replays.get(hcpId) ?? 0,
      via: r ? r.via : 'none',
      repId: rep,
      repName: rep ? (repName.get(rep) ?? null) : null,
    };
  });
  rows.sort((a, b) => b.minutes - a.minutes || (a.registeredAt ?? '~').localeCompare(b.registeredAt ?? '~') || a.hcpId.localeCompare(b.hcpId));

  const byRep = new Map<string, LiveReport['reps'][number]>();
  for (const row of rows) {
    if (!row.repId || !row.registeredAt) continue;
    const entry = byRep.get(row.repId) ?? byRep.set(row.repId, { repId: row.repId, repName: row.repName ?? `#${row.repId}`, registrations: 0, attendees: 0, doctors: [] }).get(row.repId)!;
    entry.registrations++;
    if (row.minutes > 0) entry.attendees++;
    entry.doctors.push(row.hcpId);
  }

  return {
    id,
    title: live.title,
    status: liveStatus(live, now),
    startAt: live.start_at.toISOString(),
    endAt: new Date(effectiveEnd(live)).toISOString(),
    registrations: regs.length,
    attendees: rows.filter((r) => r.minutes > 0).length,
    attendanceMinutes: rows.reduce((s, r) => s + r.minutes, 0),
    peakConcurrentViewers: Math.max(0, ...[...perMinute.values()].map((s) => s.size)),
    remindersSent: regs.filter((r) => r.notice_state === 'sent').length,
    remindersFailed: regs.filter((r) => r.notice_state === 'failed').length,
    reps: [...byRep.values()].sort((a, b) => b.registrations - a.registrations),
    rows,
  };
}

/** A CSV cell: quoted, and a leading = + - @ defused so a spreadsheet does not run it as a formula (OWASP CSV injection). */
function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const VIA_LABELS: Record<LiveReportRow['via'], string> = { poster: '海报', share: '分享', direct: '直接', none: '未报名' };

/** The report's doctor rows as CSV (UTF-8 with BOM, so Excel reads the Chinese). */
export function reportCsv(report: LiveReport): string {
  const header = ['医生ID', '姓名', '医院', '科室', '报名时间', '订阅提醒', '提醒状态', '观看分钟', '回放次数', '来源', '代表ID', '代表'];
  const lines = [header.map(cell).join(',')];
  for (const r of report.rows) {
    lines.push(
      [r.hcpId, r.name, r.hospital, r.department, r.registeredAt, r.subscribed ? '是' : '否', REMINDER_LABELS[r.reminder] ?? r.reminder, r.minutes, r.replayViews, VIA_LABELS[r.via], r.repId, r.repName]
        .map(cell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

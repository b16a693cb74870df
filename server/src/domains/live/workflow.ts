/**
 * The live-stream state machine (DESIGN §6), as pure functions over a stored row and the clock:
 *
 *   applied ──dept-approve──▶ dept_approved ──compliance-approve──▶ scheduled ─(clock)─▶ live ─(clock)─▶ ended
 *      │ (manager)                │ (compliance, never the applicant)    │                │ extend (overrun) ▲
 *      ├──reject──▶ rejected ◀────┤                                      │                └──end──────────────┘
 *      └──cancel──▶ cancelled ◀───┴──────────────cancel (before start)───┘
 *
 * `live` and `ended` are computed from start_at and the end (ended_at when staff ended it early,
 * else end_at), so no job has to run for a live stream to start or end. Who may take each step is
 * decided here too (the routes only let the roles in), including the applicant's own approval.
 */
import type { LiveAction, LiveStatus, StaffRole } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';

export type StoredLiveStatus = 'applied' | 'dept_approved' | 'scheduled' | 'rejected' | 'cancelled';

export interface LiveClock {
  status: StoredLiveStatus;
  start_at: Date;
  end_at: Date;
  ended_at: Date | null;
}

/** When the live stream ends (or ended): staff's early end, else the booked end. */
export function effectiveEnd(l: Pick<LiveClock, 'end_at' | 'ended_at'>): number {
  return (l.ended_at ?? l.end_at).getTime();
}

export function liveStatus(l: LiveClock, now: number): LiveStatus {
  if (l.status !== 'scheduled') return l.status;
  if (now >= effectiveEnd(l)) return 'ended';
  if (now >= l.start_at.getTime()) return 'live';
  return 'scheduled';
}

const BY_STATUS: Record<LiveStatus, LiveAction[]> = {
  applied: ['dept-approve', 'reject', 'cancel'],
  dept_approved: ['compliance-approve', 'reject', 'cancel'],
  scheduled: ['cancel'],
  live: ['extend', 'end'],
  ended: ['extend', 'replay'],
  rejected: [],
  cancelled: [],
};

/** What may be done to a live stream now. An overrun can be extended only while staff have not ended it. */
export function allowedLiveActions(l: LiveClock, now: number): LiveAction[] {
  const status = liveStatus(l, now);
  return BY_STATUS[status].filter((a) => !(a === 'extend' && l.ended_at !== null));
}

/** Throws 409 INVALID_TRANSITION (with the current status and what is allowed) unless `action` is allowed. */
export function assertLiveAllowed(action: LiveAction, l: LiveClock, now: number): LiveStatus {
  const status = liveStatus(l, now);
  const allowed = allowedLiveActions(l, now);
  if (!allowed.includes(action)) {
    throw new AppError('INVALID_TRANSITION', `Cannot ${action} a live stream that is ${status}.`, { status, allowed });
  }
  return status;
}

/** The role that reviews each approval step. */
const REVIEWER: Partial<Record<LiveStatus, StaffRole>> = { applied: 'manager', dept_approved: 'compliance' };

/**
 * Approvals and rejections: the step's reviewer role (manager at the department step, compliance
 * at the compliance step), and never the applicant (seed 004: compliance pre-approves what a rep
 * applied for; nobody approves their own application).
 */
export function assertMayReview(actor: Principal, status: LiveStatus, applicantId: string): void {
  const role = REVIEWER[status];
  if (!role || actor.role !== role) {
    throw new AppError('FORBIDDEN', `At this step (${status}) the reviewer is ${role ?? 'nobody'}.`, { status, reviewer: role ?? null });
  }
  if (actor.id === applicantId) throw new AppError('SELF_APPROVAL_FORBIDDEN');
}

/** Cancel, extend, end and replay: the applicant, or marketing. */
export function assertOwnerOrMarketing(actor: Principal, applicantId: string): void {
  if (actor.role !== 'marketing' && actor.id !== applicantId) {
    throw new AppError('FORBIDDEN', 'Only the applicant or marketing may do this.');
  }
}

/** Whether `actor` may see the stream key and push URL: the applicant and staff other than reps. */
export function maySeeSecrets(actor: Principal, applicantId: string): boolean {
  // Applicants are staff (reps, marketing): a doctor's id is of another sequence and never matches.
  return actor.kind === 'staff' && (actor.id === applicantId || actor.role !== 'rep');
}

/**
 * The content state machine (DESIGN §6), as pure functions over stored rows and the clock:
 *
 *   draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ scheduled ─(clock)─▶ published ─(clock)─▶ expired
 *     ▲                  │                                               └───────────archive───────────┴──────▶ archived
 *     └─────reject───────┘ (comment required)
 *
 * `edit` changes a draft in place, sends an approved version back to draft (its approval no longer
 * covers the new text), and on a published item (scheduled, live or expired) starts a new draft
 * version while the published one keeps serving. `scheduled`, `expired` and `superseded` are
 * computed from the clock; the same rules are written in SQL in eligibility.ts.
 */
import type { ContentAction, ContentStatus } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';

export type StoredStatus = 'draft' | 'in_review' | 'approved' | 'published' | 'superseded' | 'archived';

export interface VersionClock {
  version_no: number;
  status: StoredStatus;
  live_from: Date | null;
  expire_at: Date | null;
}

/** The version doctors see now (ignoring audience and Rx): the newest published one whose live_from has passed. */
export function currentVersionNo(versions: VersionClock[], now: number): number | null {
  let current: number | null = null;
  for (const v of versions) {
    if (v.status === 'published' && v.live_from && v.live_from.getTime() <= now && (current === null || v.version_no > current)) current = v.version_no;
  }
  return current;
}

/** A version's status as staff see it at `now`. */
export function versionStatus(v: VersionClock, now: number, currentNo: number | null): ContentStatus {
  if (v.status !== 'published') return v.status;
  if (!v.live_from || v.live_from.getTime() > now) return 'scheduled';
  if (currentNo !== null && v.version_no < currentNo) return 'superseded';
  if (v.expire_at && v.expire_at.getTime() <= now) return 'expired';
  return 'published';
}

/** The item's status: the newest version's, or `archived`. */
export function itemStatus(archived: boolean, versions: VersionClock[], now: number): ContentStatus {
  if (archived) return 'archived';
  const latest = versions.reduce((a, b) => (b.version_no > a.version_no ? b : a));
  return versionStatus(latest, now, currentVersionNo(versions, now));
}

/** Whether any version is published (scheduled, live or expired): such an item can be archived. */
export function hasPublishedVersion(versions: VersionClock[]): boolean {
  return versions.some((v) => v.status === 'published');
}

const BY_STATUS: Record<ContentStatus, ContentAction[]> = {
  draft: ['edit', 'submit'],
  in_review: ['approve', 'reject'],
  approved: ['publish', 'edit'],
  scheduled: ['edit', 'archive'],
  published: ['edit', 'archive'],
  expired: ['edit', 'archive'],
  superseded: [],
  archived: [],
};

/** What may be done to an item in `status`. Archive pulls a published item even while a new version is being worked on. */
export function allowedActions(status: ContentStatus, hasPublished: boolean): ContentAction[] {
  const actions = [...BY_STATUS[status]];
  if (hasPublished && status !== 'archived' && !actions.includes('archive')) actions.push('archive');
  return actions;
}

/** Throws 409 INVALID_TRANSITION (with the current status and what is allowed) unless `action` is allowed. */
export function assertAllowed(action: ContentAction, status: ContentStatus, hasPublished: boolean): void {
  const allowed = allowedActions(status, hasPublished);
  if (!allowed.includes(action)) {
    throw new AppError('INVALID_TRANSITION', `Cannot ${action} an item that is ${status}.`, { status, allowed });
  }
}

/** MLR review is by someone else: not the item's author, nor the author or last editor of the version. */
export function assertNotSelfReview(reviewer: Principal, people: { itemAuthor: string; versionAuthor: string; versionEditor: string }): void {
  if ([people.itemAuthor, people.versionAuthor, people.versionEditor].includes(reviewer.id)) {
    throw new AppError('SELF_REVIEW_FORBIDDEN');
  }
}

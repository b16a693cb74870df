/**
 * Workflow actions on an item's newest version: submit (marketing), approve and reject
 * (compliance or medical, never the author), publish and archive (marketing). Each runs in one
 * transaction with the item locked and writes the audit entry (who, role, when, from, to,
 * comment) in that same transaction.
 */
import type { ContentStatus, ContentTransitionResponse } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type PoolConnection } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { findItem, lockContentWrites, updateItem, updateVersion, versionsOf, type ItemRow, type Version } from './repo.js';
import { servingCatalogueOf } from './servingCatalogue.js';
import { assertAllowed, assertNotSelfReview, currentVersionNo, hasPublishedVersion, itemStatus, versionStatus } from './workflow.js';

export type TransitionAction = 'submit' | 'approve' | 'reject' | 'publish' | 'archive';

export async function transitionContent(
  deps: Deps,
  actor: Principal,
  id: string,
  action: TransitionAction,
  comment: string | undefined,
): Promise<ContentTransitionResponse> {
  const now = deps.clock();
  const result = await inTransaction(deps.pool, async (conn): Promise<ContentTransitionResponse> => {
    await lockContentWrites(conn);
    const item = await findItem(conn, id, true);
    if (!item) throw new AppError('NOT_FOUND', `No content ${id}.`);
    const versions = await versionsOf(conn, id, true);
    const from = itemStatus(item.archived_at !== null, versions, now);
    assertAllowed(action, from, hasPublishedVersion(versions));
    const latest = versions[versions.length - 1]!;
    const to = await apply(conn, { item, versions, latest, actor, action, comment, now });
    await recordAudit(
      conn,
      { actor, action: `content.${action}`, targetType: 'content', targetId: id, detail: { version: latest.version_no, from, to, comment: comment ?? null } },
      now,
    );
    return { id, status: to, version: latest.version_no };
  });
  servingCatalogueOf(deps).changed();
  return result;
}

interface Step {
  item: ItemRow;
  versions: Version[];
  latest: Version;
  actor: Principal;
  action: TransitionAction;
  comment: string | undefined;
  now: number;
}

async function apply(conn: PoolConnection, s: Step): Promise<ContentStatus> {
  const at = new Date(s.now);
  const { latest } = s;
  switch (s.action) {
    case 'submit':
      await updateVersion(conn, latest.id, { status: 'in_review' }, at);
      await updateItem(conn, s.item.id, {}, at);
      return 'in_review';
    case 'approve':
    case 'reject': {
      assertNotSelfReview(s.actor, { itemAuthor: s.item.author_id, versionAuthor: latest.author_id, versionEditor: latest.edited_by });
      const status = s.action === 'approve' ? 'approved' : 'draft';
      await updateVersion(conn, latest.id, { status, reviewed_by: s.actor.id, reviewed_at: at, review_comment: s.comment ?? null }, at);
      await updateItem(conn, s.item.id, {}, at);
      return status;
    }
    case 'publish': {
      if (latest.expire_at && latest.expire_at.getTime() <= s.now) throw new AppError('PUBLISH_WINDOW_PASSED', undefined, { expireAt: latest.expire_at.toISOString() });
      const liveFrom = latest.publish_at && latest.publish_at.getTime() > s.now ? latest.publish_at : at;
      await updateVersion(conn, latest.id, { status: 'published', live_from: liveFrom, published_by: s.actor.id }, at);
      Object.assign(latest, { status: 'published', live_from: liveFrom });
      await markSuperseded(conn, s.versions, s.now);
      await updateItem(conn, s.item.id, {}, at);
      return liveFrom.getTime() > s.now ? 'scheduled' : 'published';
    }
    case 'archive': {
      const currentNo = currentVersionNo(s.versions, s.now);
      for (const v of s.versions) {
        if (v.status === 'superseded' || v.status === 'archived') continue;
        const superseded = versionStatus(v, s.now, currentNo) === 'superseded';
        await updateVersion(conn, v.id, { status: superseded ? 'superseded' : 'archived' }, at);
      }
      await updateItem(conn, s.item.id, { archived_at: at }, at);
      return 'archived';
    }
  }
}

/**
 * Stores `superseded` on published versions a newer live version has replaced. Doctors' reads do
 * not depend on it (eligibility computes the same from the clock); it keeps the table readable.
 */
async function markSuperseded(conn: PoolConnection, versions: Version[], now: number): Promise<void> {
  const currentNo = currentVersionNo(versions, now);
  for (const v of versions) {
    if (v.status === 'published' && currentNo !== null && v.version_no < currentNo) {
      await updateVersion(conn, v.id, { status: 'superseded' }, new Date(now));
      v.status = 'superseded';
    }
  }
}

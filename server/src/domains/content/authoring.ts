/**
 * Writing content (marketing): create an item (version 1, draft) and edit it. A draft is edited
 * in place; an approved version goes back to draft (its approval does not cover the new text);
 * a published item is never changed: editing it starts a new draft version that goes through
 * review while the published one keeps serving. Every change is in the audit log.
 */
import { contentShapeProblems, type ContentCreateInput, type ContentTransitionResponse, type ContentUpdateInput } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type Db } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { assertSegmentsExist } from '../tags/segments.js';
import { hasContent, sanitiseBody } from './bodySanitiser.js';
import { findItem, insertItem, lockContentWrites, insertVersion, updateItem, updateVersion, updateVersionFields, versionsOf, type VersionFields } from './repo.js';
import { servingCatalogueOf } from './servingCatalogue.js';
import { assertAllowed, hasPublishedVersion, itemStatus } from './workflow.js';

type Input = Omit<ContentCreateInput, 'type'>;

function invalid(problems: { path: string; message: string }[]): AppError {
  return new AppError('VALIDATION_FAILED', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

/** Sanitises the body and checks the audience, giving the columns to store. */
async function fieldsFrom(db: Db, type: ContentCreateInput['type'], input: Input): Promise<VersionFields> {
  const body = input.body === undefined ? null : sanitiseBody(input.body);
  if (type === 'article' && !(body && hasContent(body))) {
    throw invalid([{ path: 'body', message: 'the body has nothing left to show once unsafe markup is removed' }]);
  }
  await assertSegmentsExist(db, input.segmentIds);
  return {
    title: input.title,
    summary: input.summary || null,
    cover_url: input.cover ?? null,
    body: body || null,
    video_url: input.videoUrl ?? null,
    rx_only: input.rxOnly,
    priority: input.priority,
    publish_at: input.publishAt ? new Date(input.publishAt) : null,
    expire_at: input.expireAt ? new Date(input.expireAt) : null,
    topics: input.topics,
    segmentIds: input.segmentIds,
  };
}

export async function createContent(deps: Deps, actor: Principal, input: ContentCreateInput): Promise<ContentTransitionResponse> {
  const now = deps.clock();
  const at = new Date(now);
  const result = await inTransaction(deps.pool, async (conn): Promise<ContentTransitionResponse> => {
    await lockContentWrites(conn);
    const fields = await fieldsFrom(conn, input.type, input);
    const id = await insertItem(conn, input.type, actor.id, at);
    await insertVersion(conn, id, 1, fields, actor.id, at);
    await recordAudit(conn, { actor, action: 'content.create', targetType: 'content', targetId: id, detail: { version: 1, from: null, to: 'draft', comment: null } }, now);
    return { id, status: 'draft', version: 1 };
  });
  servingCatalogueOf(deps).changed();
  return result;
}

export async function updateContent(deps: Deps, actor: Principal, id: string, input: ContentUpdateInput): Promise<ContentTransitionResponse> {
  const now = deps.clock();
  const at = new Date(now);
  const result = await inTransaction(deps.pool, async (conn): Promise<ContentTransitionResponse> => {
    await lockContentWrites(conn);
    const item = await findItem(conn, id, true);
    if (!item) throw new AppError('NOT_FOUND', `No content ${id}.`);
    const versions = await versionsOf(conn, id, true);
    const status = itemStatus(item.archived_at !== null, versions, now);
    assertAllowed('edit', status, hasPublishedVersion(versions));
    const typeProblem = input.type && input.type !== item.content_type ? [{ path: 'type', message: `the type of an item cannot change (it is ${item.content_type})` }] : [];
    const problems = [...typeProblem, ...contentShapeProblems({ ...input, type: item.content_type })];
    if (problems.length) throw invalid(problems);
    const fields = await fieldsFrom(conn, item.content_type, input);
    const latest = versions[versions.length - 1]!;

    if (status === 'draft' || status === 'approved') {
      await updateVersionFields(conn, latest.id, fields, actor.id, at);
      // An approval covered the old text; a rejection comment stays until the next review.
      if (status === 'approved') await updateVersion(conn, latest.id, { reviewed_by: null, reviewed_at: null, review_comment: null }, at);
      await updateItem(conn, id, {}, at);
      await recordAudit(conn, { actor, action: 'content.edit', targetType: 'content', targetId: id, detail: { version: latest.version_no, from: status, to: 'draft', comment: null } }, now);
      return { id, status: 'draft', version: latest.version_no };
    }
    // Published (scheduled, live or expired): the published version stays as it is.
    const versionNo = latest.version_no + 1;
    await insertVersion(conn, id, versionNo, fields, actor.id, at);
    await updateItem(conn, id, { latest_version_no: versionNo }, at);
    await recordAudit(
      conn,
      { actor, action: 'content.new_version', targetType: 'content', targetId: id, detail: { version: versionNo, basedOn: latest.version_no, from: null, to: 'draft', comment: null } },
      now,
    );
    return { id, status: 'draft', version: versionNo };
  });
  servingCatalogueOf(deps).changed();
  return result;
}

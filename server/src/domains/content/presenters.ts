/** What leaves the server about content, for staff: exactly these fields. */
import type { ContentAdminView, ContentVersionView } from '@hcp360/shared';
import type { ItemRow, Version } from './repo.js';
import { allowedActions, currentVersionNo, hasPublishedVersion, itemStatus, versionStatus } from './workflow.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentVersion(v: Version, now: number, currentNo: number | null): ContentVersionView {
  return {
    version: v.version_no,
    status: versionStatus(v, now, currentNo),
    title: v.title,
    summary: v.summary,
    cover: v.cover_url,
    body: v.body,
    videoUrl: v.video_url,
    topics: v.topics,
    rxOnly: v.rx_only === 1,
    priority: v.priority,
    audience: { everyone: v.audience_all === 1, segmentIds: v.segmentIds },
    publishAt: iso(v.publish_at),
    expireAt: iso(v.expire_at),
    liveFrom: iso(v.live_from),
    authorId: v.author_id,
    review: v.reviewed_by && v.reviewed_at ? { by: v.reviewed_by, at: v.reviewed_at.toISOString(), comment: v.review_comment } : null,
    createdAt: v.created_at.toISOString(),
    updatedAt: v.updated_at.toISOString(),
  };
}

export function presentItem(item: ItemRow, versions: Version[], now: number): ContentAdminView {
  const currentNo = currentVersionNo(versions, now);
  const status = itemStatus(item.archived_at !== null, versions, now);
  const live = currentNo === null ? undefined : versions.find((v) => v.version_no === currentNo);
  const liveNow = live && !item.archived_at && versionStatus(live, now, currentNo) === 'published';
  return {
    id: item.id,
    type: item.content_type,
    authorId: item.author_id,
    status,
    version: item.latest_version_no,
    liveVersion: liveNow ? currentNo : null,
    allowedActions: allowedActions(status, hasPublishedVersion(versions)),
    versions: versions.map((v) => presentVersion(v, now, currentNo)),
  };
}

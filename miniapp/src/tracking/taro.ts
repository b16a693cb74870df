/**
 * What pages use from the tracking SDK: the app's tracker, launch tracking, the page hooks, and
 * the share and search helpers. The binding to Taro itself is in taroTracker.ts and pageHooks.ts.
 */
import { encodeInviter, type EventProps } from '@hcp360/shared';
import { meStore } from '../session/session';
import { buildSharePath } from './attribution';
import { systemClock } from './core';
import { randomToken } from './ids';
import { tracker } from './taroTracker';

export { startTracking, tracker } from './taroTracker';
export { READING_ROOT_ID, usePageView, useReadingTracker } from './pageHooks';

export type ShareTarget = EventProps<'content_share'>['target'];

export interface ShareInput {
  title: string;
  /** The page to open, e.g. '/pages/index/index' (its own query is kept). */
  path: string;
  target?: ShareTarget;
  contentId?: string;
  imageUrl?: string;
}

/**
 * What useShareAppMessage must return: the path carries the sharer (`inviter`) and a fresh
 * `share_id`, and a content_share event is recorded. WeChat no longer says whether the share
 * was completed, so this records the intent (the doctor opened the share sheet).
 */
export function shareMessage({ title, path, target = 'chat', contentId, imageUrl }: ShareInput): {
  title: string;
  path: string;
  imageUrl?: string;
} {
  const shareId = `sh-${systemClock.now().toString(36)}-${randomToken(Math.random, 8)}`;
  const inviter = meStore.getState().me?.id;
  tracker.track('content_share', { share_id: shareId, target, ...(contentId ? { content_id: contentId } : {}) });
  const shared = { title, path: buildSharePath(path, { inviter: inviter ? encodeInviter({ kind: 'hcp', id: String(inviter) }) : undefined, shareId, from: target }) };
  return imageUrl ? { ...shared, imageUrl } : shared;
}

/** Records a search; blank queries are ignored, long ones cut to the schema's 100 characters. */
export function trackSearch(query: string): string | null {
  const text = query.trim().slice(0, 100).trim();
  return text ? tracker.track('search', { query: text }) : null;
}

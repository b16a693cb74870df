/**
 * Content for doctors (DESIGN §7): the personalised feed, one item, the doctor's own reactions,
 * 我的收藏, 阅读历史 and search. One function per endpoint over the app's one API client.
 */
import type { ContentReactions, DoctorContent, FeedResponse, LibraryResponse, Topic } from '@hcp360/shared';
import { withQuery } from './query';
import { api } from './request';

export function fetchFeed(params: { cursor?: string | null; topic?: Topic | null; limit?: number }): Promise<FeedResponse> {
  return api<FeedResponse>({ path: withQuery('/api/feed', { limit: params.limit ?? 10, cursor: params.cursor, topic: params.topic }) });
}

export function fetchContent(id: string): Promise<DoctorContent> {
  return api<DoctorContent>({ path: `/api/content/${encodeURIComponent(id)}` });
}

export function fetchReactions(id: string): Promise<ContentReactions> {
  return api<ContentReactions>({ path: `/api/content/${encodeURIComponent(id)}/reactions` });
}

export function fetchFavorites(cursor?: string | null): Promise<LibraryResponse> {
  return api<LibraryResponse>({ path: withQuery('/api/me/favorites', { cursor }) });
}

export function fetchHistory(cursor?: string | null): Promise<LibraryResponse> {
  return api<LibraryResponse>({ path: withQuery('/api/me/history', { cursor }) });
}

export function searchContent(q: string, cursor?: string | null): Promise<LibraryResponse> {
  return api<LibraryResponse>({ path: withQuery('/api/content/search', { q, cursor }) });
}

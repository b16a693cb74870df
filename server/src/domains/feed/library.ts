/**
 * A doctor's reading library: 我的收藏 (items whose latest content_favorite is on), 阅读历史
 * (items read, most recent first), search over what they may see, and their own like/favourite
 * state of one item. Lists hold only items the doctor may still see now (content's
 * eligibleContentFor), so an archived, expired or Rx-only item drops out of them.
 */
import { TOPICS, type ContentReactions, type LibraryQuery, type LibraryResponse, type SearchQuery } from '@hcp360/shared';
import type { Deps } from '../../platform/deps.js';
import { eligibleContentFor, eligibleLookupFor } from '../content/eligibility.js';
import { contentFactsOf } from '../events/eventFacts.js';
import { presentLibraryItem } from './presenters.js';

function page<T>(all: T[], q: LibraryQuery, present: (t: T) => LibraryResponse['items'][number]): LibraryResponse {
  const offset = Number(q.cursor ?? 0);
  const slice = all.slice(offset, offset + q.limit);
  const next = offset + slice.length;
  return { items: slice.map(present), nextCursor: next < all.length ? String(next) : null };
}

export async function favoritesOf(deps: Deps, hcpId: string, q: LibraryQuery): Promise<LibraryResponse> {
  const [facts, eligible] = await Promise.all([contentFactsOf(deps.pool, hcpId), eligibleLookupFor(deps, hcpId, deps.clock())]);
  const items = facts.favorites.flatMap((f) => {
    const c = eligible(f.contentId);
    return c ? [{ c, at: f.at }] : [];
  });
  return page(items, q, ({ c, at }) => presentLibraryItem(c, at));
}

export async function historyOf(deps: Deps, hcpId: string, q: LibraryQuery): Promise<LibraryResponse> {
  const [facts, eligible] = await Promise.all([contentFactsOf(deps.pool, hcpId), eligibleLookupFor(deps, hcpId, deps.clock())]);
  const items = [...facts.reads]
    .sort(([a, ra], [b, rb]) => rb.lastAt - ra.lastAt || Number(b) - Number(a))
    .flatMap(([id, r]) => {
      const c = eligible(id);
      return c ? [{ c, at: r.lastAt }] : [];
    });
  return page(items, q, ({ c, at }) => presentLibraryItem(c, at));
}

/**
 * Every term (split on spaces) must appear in the title, summary or a topic label; title hits
 * rank first, then the newest.
 */
export async function searchContent(deps: Deps, hcpId: string, q: SearchQuery): Promise<LibraryResponse> {
  const terms = q.q.toLowerCase().split(/\s+/).filter(Boolean);
  const candidates = await eligibleContentFor(deps, hcpId, deps.clock());
  const hits = candidates.flatMap((c) => {
    const title = c.title.toLowerCase();
    const rest = `${c.summary ?? ''} ${c.topics.map((t) => TOPICS[t]).join(' ')}`.toLowerCase();
    if (!terms.every((t) => title.includes(t) || rest.includes(t))) return [];
    return [{ c, inTitle: terms.filter((t) => title.includes(t)).length }];
  });
  hits.sort((a, b) => b.inTitle - a.inTitle || Date.parse(b.c.publishedAt) - Date.parse(a.c.publishedAt) || Number(b.c.id) - Number(a.c.id));
  return page(hits, q, ({ c }) => presentLibraryItem(c));
}

export async function reactionsOf(deps: Deps, hcpId: string, contentId: string): Promise<ContentReactions> {
  const facts = await contentFactsOf(deps.pool, hcpId);
  return { liked: facts.liked.has(contentId), favorited: facts.favorites.some((f) => f.contentId === contentId) };
}

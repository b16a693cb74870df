/**
 * Helpers the feed tests share: publishing items through the staff API, giving a doctor history
 * through POST /api/events (then letting the stack's engine process it), and reading the feed
 * page by page over HTTP.
 */
import type { FeedItem, FeedResponse } from '@hcp360/shared';
import { expect } from 'vitest';
import { refreshPopularity } from '../src/domains/feed/popularity.js';
import { anEvent, makeContent, makeStaff, postEvents, type TestDoctor, type TestStaff } from './factories.js';
import type { Stack } from './harness.js';

export interface Publisher {
  publish(over?: Parameters<typeof makeContent>[1]): Promise<string>;
  marketing: TestStaff;
  medical: TestStaff;
}

export async function publisher(stack: Stack): Promise<Publisher> {
  const [marketing, medical] = await Promise.all([makeStaff(stack, 'marketing'), makeStaff(stack, 'medical')]);
  return { marketing, medical, publish: (over = {}) => makeContent(stack, over, { marketing, medical }) };
}

/** The doctor opened and read each item (deeply by default), as the article page reports it. */
export async function read(stack: Stack, doctor: TestDoctor, ids: string[], opts: { dwellMs?: number; depth?: number } = {}): Promise<void> {
  const events = ids.flatMap((id) => [
    anEvent(stack, 'content_view', { content_id: id }),
    anEvent(stack, 'content_read', { content_id: id, dwell_ms: opts.dwellMs ?? 120_000, scroll_depth: opts.depth ?? 1 }),
  ]);
  await postEvents(stack, doctor, events);
}

/** Lets the engine turn every stored event into affinities (deterministic: runs to idle). */
export async function settle(stack: Stack): Promise<void> {
  await stack.engine!.tagger.runUntilIdle();
}

/** Settles the engine and rebuilds the popularity aggregate now (instead of waiting for it to go stale). */
export async function settleAll(stack: Stack): Promise<void> {
  await settle(stack);
  expect(await refreshPopularity(stack.deps)).toBe(true);
}

export async function feed(stack: Stack, doctor: TestDoctor, query = ''): Promise<FeedResponse> {
  const res = await stack.http.get(`/api/feed${query ? `?${query}` : ''}`, doctor.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every page of a fresh feed, following nextCursor. */
export async function wholeFeed(stack: Stack, doctor: TestDoctor, query = 'limit=50'): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let page = await feed(stack, doctor, query);
  items.push(...page.items);
  while (page.nextCursor) {
    page = await feed(stack, doctor, `${query}&cursor=${encodeURIComponent(page.nextCursor)}`);
    items.push(...page.items);
  }
  return items;
}

export const ids = (items: { id: string }[]) => items.map((i) => i.id);

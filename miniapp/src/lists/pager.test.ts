import { describe, expect, it } from 'vitest';
import { createPager, type Page } from './pager';

type Item = { id: string };
const items = (...ids: string[]): Item[] => ids.map((id) => ({ id }));

/** A fetcher whose answers the test releases one by one. */
function controlled() {
  const calls: { cursor: string | null; resolve: (p: Page<Item>) => void; reject: (e: unknown) => void }[] = [];
  const fetchPage = (cursor: string | null) => new Promise<Page<Item>>((resolve, reject) => calls.push({ cursor, resolve, reject }));
  return { calls, fetchPage };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createPager', () => {
  it('loads the first page, then more by cursor until the last page', async () => {
    const { calls, fetchPage } = controlled();
    const pager = createPager(fetchPage);
    const first = pager.refresh();
    expect(pager.getState()).toMatchObject({ loading: true, loaded: false });
    calls[0]!.resolve({ items: items('1', '2'), nextCursor: 'c2' });
    await first;
    expect(pager.getState()).toMatchObject({ loading: false, loaded: true, done: false });

    const more = pager.loadMore();
    void pager.loadMore(); // ignored: one load at a time
    expect(calls).toHaveLength(2);
    expect(calls[1]!.cursor).toBe('c2');
    calls[1]!.resolve({ items: items('2', '3'), nextCursor: null });
    await more;
    expect(pager.getState().items.map((i) => i.id)).toEqual(['1', '2', '3']);
    expect(pager.getState().done).toBe(true);
    await pager.loadMore();
    expect(calls).toHaveLength(2);
  });

  it('drops the late answer of a load a refresh superseded', async () => {
    const { calls, fetchPage } = controlled();
    const pager = createPager(fetchPage);
    const first = pager.refresh();
    calls[0]!.resolve({ items: items('1'), nextCursor: 'c' });
    await first;
    const more = pager.loadMore();
    const again = pager.refresh();
    expect(pager.getState().refreshing).toBe(true);
    calls[2]!.resolve({ items: items('9', '8'), nextCursor: null });
    await again;
    calls[1]!.resolve({ items: items('2'), nextCursor: null });
    await more;
    expect(pager.getState().items.map((i) => i.id)).toEqual(['9', '8']);
  });

  it('starts again from the top when the cursor expired', async () => {
    const { calls, fetchPage } = controlled();
    const expired = new Error('FEED_CURSOR_EXPIRED');
    const pager = createPager(fetchPage, { isCursorExpired: (e) => e === expired });
    const first = pager.refresh();
    calls[0]!.resolve({ items: items('1'), nextCursor: 'old' });
    await first;
    const more = pager.loadMore();
    calls[1]!.reject(expired);
    await tick();
    expect(calls[2]!.cursor).toBeNull();
    calls[2]!.resolve({ items: items('5'), nextCursor: null });
    await more;
    expect(pager.getState().items.map((i) => i.id)).toEqual(['5']);
  });

  it('shows a first-page error as the page error, and a later one under the list', async () => {
    const { calls, fetchPage } = controlled();
    const pager = createPager(fetchPage, { describe: () => '网络不可用' });
    const first = pager.refresh();
    calls[0]!.reject(new Error('x'));
    await first;
    expect(pager.getState()).toMatchObject({ error: '网络不可用', loading: false });
    const retry = pager.refresh();
    calls[1]!.resolve({ items: items('1'), nextCursor: 'c' });
    await retry;
    const more = pager.loadMore();
    calls[2]!.reject(new Error('x'));
    await more;
    expect(pager.getState()).toMatchObject({ error: null, moreError: '网络不可用', items: [{ id: '1' }] });
  });
});

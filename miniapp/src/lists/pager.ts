/**
 * A cursor-paged list (the feed, 我的收藏, 阅读历史, search results): first load, pull-to-refresh,
 * infinite scroll. Platform-free, so its rules are unit-tested: a refresh supersedes whatever was
 * in flight (a late answer of an older load is dropped), an item never appears twice, loading
 * more is a no-op while a load runs or after the last page, and a cursor the server no longer
 * knows (the feed's ranking snapshot expired) starts the list again from the top.
 */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagerState<T> {
  items: T[];
  /** The first page is loading (nothing shown yet, or a refresh from an error). */
  loading: boolean;
  /** A refresh runs while the old items stay on screen. */
  refreshing: boolean;
  loadingMore: boolean;
  /** The last page has arrived. */
  done: boolean;
  /** The first page failed: the page shows its error state. */
  error: string | null;
  /** Loading more failed: shown under the list with a retry. */
  moreError: string | null;
  /** A first page arrived at least once (tells "empty" from "not loaded yet"). */
  loaded: boolean;
}

export interface PagerOptions {
  /** The error means the cursor is gone: reload from the top instead of failing. */
  isCursorExpired?: (err: unknown) => boolean;
  /** The message a doctor reads for an error. */
  describe?: (err: unknown) => string;
}

export interface Pager<T> {
  getState(): PagerState<T>;
  subscribe(listener: () => void): () => void;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
}

const INITIAL = { items: [], loading: false, refreshing: false, loadingMore: false, done: false, error: null, moreError: null, loaded: false };

export function createPager<T extends { id: string }>(fetchPage: (cursor: string | null) => Promise<Page<T>>, opts: PagerOptions = {}): Pager<T> {
  let state: PagerState<T> = { ...INITIAL };
  let cursor: string | null = null;
  let generation = 0;
  const listeners = new Set<() => void>();
  const describe = opts.describe ?? (() => '加载失败，请稍后重试');

  function set(patch: Partial<PagerState<T>>): void {
    state = { ...state, ...patch };
    for (const l of listeners) l();
  }

  async function refresh(): Promise<void> {
    const mine = ++generation;
    set(state.loaded && !state.error ? { refreshing: true, loadingMore: false } : { loading: true, error: null, loadingMore: false });
    try {
      const page = await fetchPage(null);
      if (mine !== generation) return;
      cursor = page.nextCursor;
      const seen = new Set<string>();
      const items = page.items.filter((i) => !seen.has(i.id) && seen.add(i.id));
      set({ items, loading: false, refreshing: false, done: cursor === null, error: null, moreError: null, loaded: true });
    } catch (err) {
      if (mine !== generation) return;
      // A failed refresh keeps what is on screen; with nothing on screen it is the page's error.
      if (state.loaded && state.items.length) set({ refreshing: false, moreError: describe(err) });
      else set({ loading: false, refreshing: false, error: describe(err) });
    }
  }

  async function loadMore(): Promise<void> {
    if (state.loading || state.refreshing || state.loadingMore || state.done || !state.loaded || cursor === null) return;
    const mine = generation;
    set({ loadingMore: true, moreError: null });
    try {
      const page = await fetchPage(cursor);
      if (mine !== generation) return;
      cursor = page.nextCursor;
      const seen = new Set(state.items.map((i) => i.id));
      const fresh = page.items.filter((i) => !seen.has(i.id) && seen.add(i.id));
      set({ items: [...state.items, ...fresh], loadingMore: false, done: cursor === null });
    } catch (err) {
      if (mine !== generation) return;
      set({ loadingMore: false });
      if (opts.isCursorExpired?.(err)) return refresh();
      set({ moreError: describe(err) });
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    loadMore,
  };
}

/**
 * The paging and lifecycle every library list page shares: a pager over `fetch`, refreshed each
 * time the page is shown and on pull-down, loading more at the bottom, with a page view recorded.
 */
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { LibraryItem } from '@hcp360/shared';
import type { Page } from '../lists/pager';
import { usePager } from '../lists/usePager';
import { describeError } from '../services/apiError';
import { usePageView } from '../tracking/taro';

export function useLibraryPage(fetch: (cursor: string | null) => Promise<Page<LibraryItem>>) {
  usePageView();
  const [state, pager] = usePager<LibraryItem>(fetch, { describe: describeError });
  useDidShow(() => void pager.refresh());
  usePullDownRefresh(() => void pager.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void pager.loadMore());
  return [state, pager] as const;
}

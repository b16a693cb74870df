/** 我的收藏: items whose latest favourite is on, newest first; refreshed each time it is shown. */
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { LibraryItem } from '@hcp360/shared';
import { usePager } from '../../lists/usePager';
import { describeError } from '../../services/apiError';
import { fetchFavorites } from '../../services/content';
import { usePageView } from '../../tracking/taro';
import { LibraryList } from '../LibraryList';

const TEXT = { at: '收藏于', emptyTitle: '还没有收藏', emptyHint: '在文章或视频页点击「收藏」，方便以后再看。' };

export default function FavoritesPage() {
  usePageView();
  const [state, pager] = usePager<LibraryItem>((cursor) => fetchFavorites(cursor), { describe: describeError });
  useDidShow(() => void pager.refresh());
  usePullDownRefresh(() => void pager.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void pager.loadMore());
  return (
    <View className='page'>
      <LibraryList state={state} atLabel={TEXT.at} empty={{ title: TEXT.emptyTitle, hint: TEXT.emptyHint }} onRetry={() => void pager.refresh()} onMore={() => void pager.loadMore()} />
    </View>
  );
}

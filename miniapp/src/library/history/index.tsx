/** 阅读历史: what the doctor read, most recently read first; refreshed each time it is shown. */
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { LibraryItem } from '@hcp360/shared';
import { usePager } from '../../lists/usePager';
import { describeError } from '../../services/apiError';
import { fetchHistory } from '../../services/content';
import { usePageView } from '../../tracking/taro';
import { LibraryList } from '../LibraryList';

const TEXT = { at: '阅读于', emptyTitle: '还没有阅读记录', emptyHint: '在首页挑一篇感兴趣的文章读读吧。' };

export default function HistoryPage() {
  usePageView();
  const [state, pager] = usePager<LibraryItem>((cursor) => fetchHistory(cursor), { describe: describeError });
  useDidShow(() => void pager.refresh());
  usePullDownRefresh(() => void pager.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void pager.loadMore());
  return (
    <View className='page'>
      <LibraryList state={state} atLabel={TEXT.at} empty={{ title: TEXT.emptyTitle, hint: TEXT.emptyHint }} onRetry={() => void pager.refresh()} onMore={() => void pager.loadMore()} />
    </View>
  );
}

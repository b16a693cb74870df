/** 阅读历史: what the doctor read, most recently read first; refreshed each time it is shown. */
import { View } from '@tarojs/components';
import { fetchHistory } from '../../services/content';
import { LibraryList } from '../LibraryList';
import { useLibraryPage } from '../useLibraryPage';

const TEXT = { at: '阅读于', emptyTitle: '还没有阅读记录', emptyHint: '在首页挑一篇感兴趣的文章读读吧。' };

export default function HistoryPage() {
  const [state, pager] = useLibraryPage(fetchHistory);
  return (
    <View className='page'>
      <LibraryList state={state} atLabel={TEXT.at} empty={{ title: TEXT.emptyTitle, hint: TEXT.emptyHint }} onRetry={() => void pager.refresh()} onMore={() => void pager.loadMore()} />
    </View>
  );
}

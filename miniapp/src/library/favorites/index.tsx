/** 我的收藏: items whose latest favourite is on, newest first; refreshed each time it is shown. */
import { View } from '@tarojs/components';
import { fetchFavorites } from '../../services/content';
import { LibraryList } from '../LibraryList';
import { useLibraryPage } from '../useLibraryPage';

const TEXT = { at: '收藏于', emptyTitle: '还没有收藏', emptyHint: '在文章或视频页点击「收藏」，方便以后再看。' };

export default function FavoritesPage() {
  const [state, pager] = useLibraryPage(fetchFavorites);
  return (
    <View className='page'>
      <LibraryList state={state} atLabel={TEXT.at} empty={{ title: TEXT.emptyTitle, hint: TEXT.emptyHint }} onRetry={() => void pager.refresh()} onMore={() => void pager.loadMore()} />
    </View>
  );
}

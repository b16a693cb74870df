/**
 * The list the library pages share (我的收藏, 阅读历史, search results): compact rows with a
 * thumbnail, and the list's loading, error, empty and end states.
 */
import { Image, Text, View } from '@tarojs/components';
import type { LibraryItem } from '@hcp360/shared';
import { EmptyState, ErrorState, LoadingState } from '../components/PageStatus';
import type { PagerState } from '../lists/pager';
import { openContent } from '../navigation/contentRoutes';
import { mediaUrl } from '../services/media';
import './library.css';

const TEXT = {
  video: '视频',
  rx: '专业',
  more: '加载更多…',
  end: '没有更多了',
  moreFailed: (msg: string) => `${msg}，点击重试`,
};

interface Props {
  state: PagerState<LibraryItem>;
  onRetry: () => void;
  onMore: () => void;
  /** e.g. 收藏于: shown with the item's `at` date. */
  atLabel?: string;
  empty: { title: string; hint: string };
}

export function LibraryList({ state, onRetry, onMore, atLabel, empty }: Props) {
  if (state.error && !state.items.length) return <ErrorState message={state.error} onRetry={onRetry} />;
  if (!state.loaded || (state.loading && !state.items.length)) return <LoadingState />;
  if (!state.items.length) return <EmptyState title={empty.title} hint={empty.hint} />;
  return (
    <View className='library-list' id='library-list'>
      {state.items.map((item) => {
        const cover = mediaUrl(item.cover);
        return (
          <View key={item.id} className='library-item' id={`library-item-${item.id}`} data-id={item.id} onClick={() => openContent(item)}>
            <View className='library-thumb'>
              {cover ? <Image className='library-thumb-image' src={cover} mode='aspectFill' lazyLoad /> : null}
              {item.type === 'video' ? <Text className='library-thumb-badge'>{TEXT.video}</Text> : null}
            </View>
            <View className='library-body'>
              <Text className='library-title'>
                {item.rxOnly ? <Text className='library-rx'>{TEXT.rx}</Text> : null}
                {item.title}
              </Text>
              <Text className='library-meta'>
                {[item.topicLabels.slice(0, 2).join(' · '), atLabel && item.at ? `${atLabel} ${item.at.slice(0, 10)}` : ''].filter(Boolean).join('  ')}
              </Text>
            </View>
          </View>
        );
      })}
      <View className='library-footer' onClick={state.moreError ? onMore : undefined}>
        <Text className='muted'>{state.moreError ? TEXT.moreFailed(state.moreError) : state.done ? TEXT.end : TEXT.more}</Text>
      </View>
    </View>
  );
}

/**
 * 为您推荐: topic chips, the feed cards, and the feed's own loading, error, empty and end states.
 * The page owns the pager (pull-to-refresh and reach-bottom are page events).
 */
import { Button, Text, View } from '@tarojs/components';
import type { FeedItem, FeedTopicFacet, Topic } from '@hcp360/shared';
import { EmptyState } from '../../components/PageStatus';
import { FeedCard } from '../../components/FeedCard';
import { TopicChips } from '../../components/TopicChips';
import type { PagerState } from '../../lists/pager';

const TEXT = {
  title: '为您推荐',
  refreshing: '正在刷新…',
  loading: '正在为您挑选内容…',
  failed: '推荐内容加载失败',
  retry: '重试',
  emptyTitle: '推荐内容准备中',
  emptyHint: '我们会根据您的科室与关注领域，推荐文章、视频和直播。',
  emptyTopicTitle: '该领域暂无内容',
  emptyTopicHint: '换个领域看看，或稍后再来。',
  more: '加载更多…',
  moreFailed: (msg: string) => `${msg}，点击重试`,
  end: '已经到底了，下拉可刷新推荐',
};

interface Props {
  state: PagerState<FeedItem>;
  topics: FeedTopicFacet[];
  selected: Topic | null;
  onSelect: (t: Topic | null) => void;
  onRetry: () => void;
  onMore: () => void;
}

export function FeedSection({ state, topics, selected, onSelect, onRetry, onMore }: Props) {
  let body;
  if (state.error && !state.items.length) {
    body = (
      <View className='feed-status' id='feed-error'>
        <Text className='feed-status-title'>{TEXT.failed}</Text>
        <Text className='muted'>{state.error}</Text>
        <Button id='feed-retry' className='btn btn-quiet feed-retry' onClick={onRetry}>
          {TEXT.retry}
        </Button>
      </View>
    );
  } else if (!state.loaded || (state.loading && !state.items.length)) {
    body = (
      <View className='feed-status' id='feed-loading'>
        <View className='feed-spinner' />
        <Text className='muted'>{TEXT.loading}</Text>
      </View>
    );
  } else if (!state.items.length) {
    body = selected ? <EmptyState title={TEXT.emptyTopicTitle} hint={TEXT.emptyTopicHint} /> : <EmptyState title={TEXT.emptyTitle} hint={TEXT.emptyHint} />;
  } else {
    body = (
      <View id='feed-list' className={state.refreshing ? 'feed-list feed-list-refreshing' : 'feed-list'}>
        {state.items.map((item, i) => (
          <FeedCard key={item.id} item={item} index={i} />
        ))}
        <View className='feed-footer' id='feed-footer' onClick={state.moreError ? onMore : undefined}>
          <Text className='muted'>{state.moreError ? TEXT.moreFailed(state.moreError) : state.done ? TEXT.end : TEXT.more}</Text>
        </View>
      </View>
    );
  }
  return (
    <View className='feed-section' id='feed'>
      <View className='feed-head'>
        <Text className='card-title feed-heading'>{TEXT.title}</Text>
        {state.refreshing ? <Text className='muted'>{TEXT.refreshing}</Text> : null}
      </View>
      {topics.length ? <TopicChips topics={topics} selected={selected} onSelect={onSelect} /> : null}
      {body}
    </View>
  );
}

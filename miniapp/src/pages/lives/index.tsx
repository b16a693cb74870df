/**
 * 直播 (tab): live now, upcoming (with the doctor's registered state) and replays — only the
 * live streams this doctor may see (the server decides: audience, Rx-only, status). Reloaded
 * whenever the tab is shown and on pull-down.
 */
import { useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { LIVE_STATUS_LABELS, TOPICS, type LiveCard } from '@hcp360/shared';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStatus';
import { fetchLives, liveErrorText } from '../../live/liveApi';
import { dayTime, timeRange } from '../../live/liveTime';
import { usePageView } from '../../tracking/taro';
import '../../live/live.css';

const TEXT = {
  liveNow: '正在直播',
  upcoming: '即将开始',
  replays: '精彩回放',
  cancelled: '已取消',
  registered: '已报名',
  replay: '可回放',
  emptyTitle: '暂无直播',
  emptyHint: '新的学术直播排期后会出现在这里',
  speakers: (names: string[]) => `讲者：${names.join('、')}`,
};

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: LiveCard[] };

function LiveItem({ live }: { live: LiveCard }) {
  const badge = live.status === 'live' ? 'live-badge live-badge-live' : live.status === 'scheduled' ? 'live-badge' : 'live-badge live-badge-muted';
  return (
    <View className='live-card' id={`live-item-${live.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/live/index?id=${live.id}` })}>
      <Text className='live-card-title'>{live.title}</Text>
      <Text className='live-card-meta'>{live.status === 'ended' ? dayTime(live.startAt) : timeRange(live.startAt, live.endAt)} · {live.topics.map((t) => TOPICS[t]).join(' · ')}</Text>
      {live.speakers.length ? <Text className='live-card-meta'>{TEXT.speakers(live.speakers.map((s) => s.name))}</Text> : null}
      <View className='live-card-meta'>
        <Text className={badge}>{LIVE_STATUS_LABELS[live.status]}</Text>
        {live.registered && live.status !== 'ended' ? <Text className='live-badge' id={`live-registered-${live.id}`}>{TEXT.registered}</Text> : null}
        {live.hasReplay ? <Text className='live-badge live-badge-muted'>{TEXT.replay}</Text> : null}
      </View>
    </View>
  );
}

function Section({ title, items }: { title: string; items: LiveCard[] }) {
  if (items.length === 0) return null;
  return (
    <View>
      <Text className='live-section-title'>{title}</Text>
      {items.map((l) => (
        <LiveItem key={l.id} live={l} />
      ))}
    </View>
  );
}

export default function LivesPage() {
  usePageView();
  const [state, setState] = useState<State>({ status: 'loading' });
  const load = async () => {
    try {
      setState({ status: 'ready', items: (await fetchLives()).items });
    } catch (err) {
      setState({ status: 'error', message: liveErrorText(err) });
    }
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (state.status === 'loading') return <View className='page'><LoadingState /></View>;
  if (state.status === 'error') return <View className='page'><ErrorState message={state.message} onRetry={() => void load()} /></View>;
  const by = (s: LiveCard['status']) => state.items.filter((l) => l.status === s);
  return (
    <View className='page lives-page' id='lives-page'>
      {state.items.length === 0 ? <EmptyState title={TEXT.emptyTitle} hint={TEXT.emptyHint} /> : null}
      <Section title={TEXT.liveNow} items={by('live')} />
      <Section title={TEXT.upcoming} items={by('scheduled')} />
      <Section title={TEXT.replays} items={by('ended')} />
      <Section title={TEXT.cancelled} items={by('cancelled')} />
    </View>
  );
}

/**
 * Rep: my live-stream applications with their status and the reviewers' comments; once
 * scheduled, the way to the poster and share link. Only the rep's own applications (the server
 * answers a rep nothing else).
 */
import { useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { LIVE_STATUS_LABELS, type LiveStaffView } from '@hcp360/shared';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { cancelApplication, fetchMyApplications, liveErrorText } from '../../live/liveApi';
import { timeRange } from '../../live/liveTime';
import '../../live/live.css';

const TEXT = {
  apply: '申请新的直播',
  emptyTitle: '还没有直播申请',
  emptyHint: '点击下方按钮，申请一场科室会或学术直播',
  poster: '海报与分享',
  cancel: '取消直播',
  cancelConfirm: '取消后已报名的医生将收到通知，确定取消吗？',
  step: { dept: '部门审批', compliance: '合规审批' } as Record<string, string>,
  decision: { approved: '通过', rejected: '驳回' } as Record<string, string>,
  registrations: (n: number) => `已报名 ${n} 人`,
};

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: LiveStaffView[] };

export default function RepLivesPage() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const load = async () => {
    try {
      setState({ status: 'ready', items: (await fetchMyApplications()).items });
    } catch (err) {
      setState({ status: 'error', message: liveErrorText(err) });
    }
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const cancel = async (id: string) => {
    const { confirm } = await Taro.showModal({ title: TEXT.cancel, content: TEXT.cancelConfirm });
    if (!confirm) return;
    try {
      await cancelApplication(id);
      await load();
    } catch (err) {
      void Taro.showToast({ title: liveErrorText(err), icon: 'none' });
    }
  };

  if (state.status === 'loading') return <View className='page'><LoadingState /></View>;
  if (state.status === 'error') return <View className='page'><ErrorState message={state.message} onRetry={() => void load()} /></View>;
  return (
    <View className='page rep-lives-page'>
      {state.items.length === 0 ? <EmptyState title={TEXT.emptyTitle} hint={TEXT.emptyHint} /> : null}
      {state.items.map((l) => (
        <View className='live-card' key={l.id} id={`rep-live-${l.id}`}>
          <Text className='live-card-title'>{l.title}</Text>
          <Text className='live-card-meta'>{timeRange(l.startAt, l.endAt)} · {TEXT.registrations(l.registrations)}</Text>
          <View className='live-card-meta'>
            <Text className={l.status === 'rejected' || l.status === 'cancelled' ? 'live-badge live-badge-muted' : 'live-badge'}>{LIVE_STATUS_LABELS[l.status]}</Text>
          </View>
          {l.reviews.map((r) => (
            <Text key={r.step} className='live-note'>{`${TEXT.step[r.step]}：${TEXT.decision[r.decision]}（${r.byName}）${r.comment ? `——${r.comment}` : ''}`}</Text>
          ))}
          {l.posterUrl ? (
            <PrimaryButton id={`rep-poster-${l.id}`} onClick={() => void Taro.navigateTo({ url: `/rep/poster/index?id=${l.id}` })}>
              {TEXT.poster}
            </PrimaryButton>
          ) : null}
          {l.allowedActions.includes('cancel') ? (
            <Text className='live-note' onClick={() => void cancel(l.id)}>{TEXT.cancel}</Text>
          ) : null}
        </View>
      ))}
      <PrimaryButton id='rep-apply' onClick={() => void Taro.navigateTo({ url: '/rep/apply/index' })}>
        {TEXT.apply}
      </PrimaryButton>
    </View>
  );
}

/** 我的投稿: the doctor's cases, newest first, with their status and the reviewer's note. */
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CASE_STATUS_LABELS, type SubmissionCard } from '@hcp360/shared';
import { useRef, useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStatus';
import { caseErrorMessage, fetchMySubmissions } from '../../pages/cases/casesApi';
import { CASE_ROUTES, dateOf } from '../../pages/cases/caseRoutes';
import { usePageView } from '../../tracking/taro';
import '../cases.css';

export default function MySubmissionsPage() {
  usePageView();
  const [items, setItems] = useState<SubmissionCard[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const next = useRef<string | null>(null);
  const load = async (more = false) => {
    try {
      const page = await fetchMySubmissions(more ? next.current : null);
      next.current = page.nextCursor;
      setItems((prev) => (more && prev ? [...prev, ...page.items] : page.items));
      setError(null);
    } catch (err) {
      setError(caseErrorMessage(err));
    }
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => next.current && void load(true));

  if (items === null) return <View className='page'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <LoadingState />}</View>;
  if (items.length === 0) return <View className='page'><EmptyState title='还没有投稿' hint='在「病例」中选择征集活动，填写并提交病例' /></View>;
  return (
    <View className='page case-page'>
      {items.map((s) => (
        <View key={s.id} id={`submission-${s.id}`} className='card' onClick={() => void Taro.navigateTo({ url: CASE_ROUTES.submission(s.id) })}>
          <View className='case-sub-head'>
            <Text className='card-title'>{s.campaignTitle}</Text>
            <Text className={`case-status case-status-${s.status}`}>{CASE_STATUS_LABELS[s.status]}</Text>
          </View>
          <Text className='muted'>{`第 ${s.version} 版 · 提交于 ${dateOf(s.submittedAt)}`}</Text>
          {s.reviewerNote ? <Text className='case-note'>{`审核意见：${s.reviewerNote}`}</Text> : null}
        </View>
      ))}
    </View>
  );
}

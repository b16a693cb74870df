/**
 * 病例 (tab): the case-collection campaigns open for this doctor, and the way to 我的投稿.
 * Refreshed each time it is shown (a campaign may have opened or closed meanwhile).
 */
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { TOPICS, type CampaignCard } from '@hcp360/shared';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStatus';
import { usePageView } from '../../tracking/taro';
import { caseErrorMessage, fetchOpenCampaigns } from './casesApi';
import { CASE_ROUTES, dateOf } from './caseRoutes';
import './index.css';

const TEXT = {
  mine: '我的投稿',
  mineHint: '查看审核状态与审核意见',
  open: '正在征集',
  until: '截止',
  emptyTitle: '暂无进行中的病例征集',
  emptyHint: '新的征集开始后会显示在这里',
  privacy: '投稿前请去除患者姓名、身份证号、联系方式等身份信息',
};

export default function CasesTab() {
  usePageView();
  const [items, setItems] = useState<CampaignCard[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setItems((await fetchOpenCampaigns()).items);
      setError(null);
    } catch (err) {
      setError(caseErrorMessage(err));
    }
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <View className='page cases-tab'>
      <View className='card cases-entry' id='my-submissions' onClick={() => void Taro.navigateTo({ url: CASE_ROUTES.submissions })}>
        <Text className='cases-entry-label'>{TEXT.mine}</Text>
        <Text className='cases-entry-extra'>{TEXT.mineHint}</Text>
        <Text className='cases-entry-arrow'>›</Text>
      </View>
      <Text className='cases-section'>{TEXT.open}</Text>
      {items === null ? (
        error ? <ErrorState message={error} onRetry={() => void load()} /> : <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={TEXT.emptyTitle} hint={TEXT.emptyHint} />
      ) : (
        items.map((c) => (
          <View key={c.id} id={`campaign-${c.id}`} className='card campaign-card' onClick={() => void Taro.navigateTo({ url: CASE_ROUTES.campaign(c.id) })}>
            <Text className='card-title campaign-title'>{c.title}</Text>
            {c.description ? <Text className='campaign-desc'>{c.description}</Text> : null}
            <View className='campaign-meta'>
              {c.topics.map((t) => (
                <Text key={t} className='campaign-topic'>
                  {TOPICS[t]}
                </Text>
              ))}
              <Text className='muted'>{`${TEXT.until} ${dateOf(c.closesAt)}`}</Text>
            </View>
          </View>
        ))
      )}
      <Text className='muted cases-privacy'>{TEXT.privacy}</Text>
    </View>
  );
}

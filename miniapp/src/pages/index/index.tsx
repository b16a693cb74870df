/**
 * 首页: a search entry, greeting and lifecycle stage, the onboarding checklist while anything is
 * left to do (consent → profile → verification), and the personalised feed (FeedSection) with
 * topic chips, pull-to-refresh and infinite scroll. The feed is asked for only once the doctor
 * accepted the current privacy policy (the server records what it shows).
 */
import { useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, useShareAppMessage } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { LIFECYCLE_STAGE_LABELS, type FeedItem, type FeedTopicFacet, type Topic } from '@hcp360/shared';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { usePager } from '../../lists/usePager';
import { CONTENT_ROUTES } from '../../navigation/contentRoutes';
import { ApiError, describeError } from '../../services/apiError';
import { fetchFeed } from '../../services/content';
import { onboardingChecklist, ROUTES } from '../../session/onboarding';
import { meStore, openRoute } from '../../session/session';
import { useMe } from '../../session/useMe';
import { shareMessage, usePageView } from '../../tracking/taro';
import { FeedSection } from './FeedSection';
import './index.css';

const TEXT = {
  greetingNamed: (name: string) => `${name}医生，您好`,
  greetingAnonymous: '您好，欢迎来到 HCP360',
  tagline: '面向医疗卫生专业人士的学术内容与活动平台',
  stage: '当前阶段',
  checklistTitle: '开始使用',
  progress: (done: number, total: number) => `已完成 ${done}/${total}`,
  search: '搜索文章、视频',
  shareTitle: 'HCP360 · 面向医疗卫生专业人士的学术内容与活动平台',
};

function greetingTime(hour: number): string {
  if (hour < 11) return '早上好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

const cursorGone = (err: unknown) => err instanceof ApiError && (err.code === 'FEED_CURSOR_EXPIRED' || err.code === 'FEED_CURSOR_INVALID');

export default function IndexPage() {
  const { me, error, reload } = useMe();
  usePageView();
  useShareAppMessage(() => shareMessage({ title: TEXT.shareTitle, path: ROUTES.home, target: 'chat' }));

  const topic = useRef<Topic | null>(null);
  const [selected, setSelected] = useState<Topic | null>(null);
  const [facets, setFacets] = useState<FeedTopicFacet[]>([]);
  const [feed, pager] = usePager<FeedItem>(
    async (cursor) => {
      const page = await fetchFeed({ cursor, topic: topic.current });
      if (!cursor && page.topics) setFacets(page.topics);
      return page;
    },
    { isCursorExpired: cursorGone, describe: describeError },
  );
  const feedAllowed = me?.consents.upToDate === true;
  useEffect(() => {
    if (feedAllowed && !feed.loaded && !feed.loading) void pager.refresh();
  }, [feedAllowed]);

  usePullDownRefresh(() => {
    void Promise.all([meStore.load(), feedAllowed ? pager.refresh() : undefined]).finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void pager.loadMore());

  function chooseTopic(next: Topic | null): void {
    if (next === topic.current) return;
    topic.current = next;
    setSelected(next);
    void pager.refresh();
  }

  if (!me) {
    return (
      <View className='page'>{error ? <ErrorState message={error} onRetry={() => void reload()} /> : <LoadingState />}</View>
    );
  }

  const items = onboardingChecklist(me);
  const done = items.filter((i) => i.done).length;
  const { profile } = me;
  const place = [profile.hospital, profile.department].filter(Boolean).join(' · ');

  return (
    <View className='page home-page'>
      <View className='search-entry' id='search-entry' onClick={() => void Taro.navigateTo({ url: CONTENT_ROUTES.search })}>
        <Text className='search-entry-icon'>⌕</Text>
        <Text className='search-entry-text'>{TEXT.search}</Text>
      </View>

      <View className='hero'>
        <Text className='hero-time'>{greetingTime(new Date().getHours())}</Text>
        <Text className='hero-greeting' id='home-greeting'>
          {profile.name ? TEXT.greetingNamed(profile.name) : TEXT.greetingAnonymous}
        </Text>
        <Text className='hero-sub'>{place || TEXT.tagline}</Text>
        <View className='hero-stage'>
          <Text className='hero-stage-label'>{TEXT.stage}</Text>
          <Text className='hero-stage-value' id='lifecycle-stage'>
            {LIFECYCLE_STAGE_LABELS[me.lifecycle.stage]}
          </Text>
        </View>
      </View>

      {done < items.length ? (
        <View className='card checklist' id='onboarding-checklist'>
          <View className='checklist-head'>
            <Text className='card-title checklist-title'>{TEXT.checklistTitle}</Text>
            <Text className='muted'>{TEXT.progress(done, items.length)}</Text>
          </View>
          <View className='checklist-bar'>
            <View className='checklist-bar-fill' style={{ width: `${(done / items.length) * 100}%` }} />
          </View>
          {items.map((item, index) => (
            <View
              key={item.key}
              id={`checklist-${item.key}`}
              className={`checklist-item${item.done ? ' checklist-item-done' : ''}`}
              data-done={item.done ? 'true' : 'false'}
              onClick={() => item.route && openRoute(item.route)}
            >
              <View className='checklist-mark'>{item.done ? '✓' : String(index + 1)}</View>
              <View className='checklist-body'>
                <Text className='checklist-item-title'>{item.title}</Text>
                <Text className='checklist-item-hint'>{item.hint}</Text>
              </View>
              {item.route ? <Text className='checklist-arrow'>›</Text> : null}
            </View>
          ))}
        </View>
      ) : null}

      {feedAllowed ? (
        <FeedSection
          state={feed}
          topics={facets}
          selected={selected}
          onSelect={chooseTopic}
          onRetry={() => void pager.refresh()}
          onMore={() => void pager.loadMore()}
        />
      ) : null}
    </View>
  );
}

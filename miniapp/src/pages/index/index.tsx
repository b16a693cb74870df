/**
 * 首页: greeting, lifecycle stage and the onboarding checklist (consent → profile →
 * verification), each step a tap target to where it is completed. The personalised feed
 * will take the lower half of this page.
 */
import Taro, { usePullDownRefresh, useShareAppMessage } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { LIFECYCLE_STAGE_LABELS } from '@hcp360/shared';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStatus';
import { onboardingChecklist, ROUTES } from '../../session/onboarding';
import { meStore, openRoute } from '../../session/session';
import { useMe } from '../../session/useMe';
import { shareMessage, usePageView } from '../../tracking/taro';
import './index.css';

const TEXT = {
  greetingNamed: (name: string) => `${name}医生，您好`,
  greetingAnonymous: '您好，欢迎来到 HCP360',
  tagline: '面向医疗卫生专业人士的学术内容与活动平台',
  stage: '当前阶段',
  checklistTitle: '开始使用',
  progress: (done: number, total: number) => `已完成 ${done}/${total}`,
  allDone: '全部完成，感谢您的信任！',
  feedTitle: '为您推荐',
  feedEmptyTitle: '推荐内容准备中',
  feedEmptyHint: '我们会根据您的科室与关注领域，推荐文章、视频和直播。',
  shareTitle: 'HCP360 · 面向医疗卫生专业人士的学术内容与活动平台',
};

function greetingTime(hour: number): string {
  if (hour < 11) return '早上好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

export default function IndexPage() {
  const { me, error, reload } = useMe();
  usePageView();
  useShareAppMessage(() => shareMessage({ title: TEXT.shareTitle, path: ROUTES.home, target: 'chat' }));

  usePullDownRefresh(() => {
    void meStore.load().finally(() => Taro.stopPullDownRefresh());
  });

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
        {done === items.length ? <Text className='checklist-all-done'>{TEXT.allDone}</Text> : null}
      </View>

      <View className='card'>
        <Text className='card-title'>{TEXT.feedTitle}</Text>
        <EmptyState title={TEXT.feedEmptyTitle} hint={TEXT.feedEmptyHint} />
      </View>
    </View>
  );
}

/**
 * What the article and video pages show instead of the content: Rx-only material for a doctor who
 * is not a verified HCP (with the way to verification), content that is gone or not theirs to
 * see, or a load error with a retry.
 */
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { ErrorState } from '../components/PageStatus';
import { ROUTES } from '../session/onboarding';
import type { ItemState } from './useContentItem';
import './content.css';

const TEXT = {
  rxTitle: '本内容仅限认证医生阅读',
  rxHint: '根据国家相关规定，处方药相关资料仅向经过认证的医疗卫生专业人士提供。请在「我的」页面提交执业信息完成医师认证，审核通过后即可阅读。',
  rxAction: '去认证',
  goneTitle: '内容已下线或无权查看',
  goneHint: '该内容可能已过期、已下线，或不在您的可见范围内。',
  goneAction: '返回首页',
};

export function ContentUnavailable({ state, onRetry }: { state: Exclude<ItemState, { status: 'ready' } | { status: 'loading' }>; onRetry: () => void }) {
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={onRetry} />;
  const rx = state.status === 'rx';
  return (
    <View className='status content-unavailable' id={rx ? 'content-rx-only' : 'content-gone'}>
      <View className={`status-icon ${rx ? 'status-icon-error' : 'status-icon-empty'}`}>{rx ? 'Rx' : '◎'}</View>
      <Text className='status-title'>{rx ? TEXT.rxTitle : TEXT.goneTitle}</Text>
      <Text className='status-text'>{rx ? TEXT.rxHint : TEXT.goneHint}</Text>
      <Button
        id={rx ? 'go-verify' : 'go-home'}
        className='btn btn-primary status-action'
        onClick={() => void Taro.switchTab({ url: rx ? ROUTES.me : ROUTES.home })}
      >
        {rx ? TEXT.rxAction : TEXT.goneAction}
      </Button>
    </View>
  );
}

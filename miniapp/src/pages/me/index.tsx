/**
 * 我的: profile card, verification status and request form, 我的收藏 and 阅读历史, phone
 * binding (WeChat only) and links. Re-fetches /api/me whenever it is shown and on pull-down,
 * since verification is decided elsewhere (by a reviewer in the console).
 */
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { ButtonProps } from '@tarojs/components';
import type { BaseEventOrig } from '@tarojs/components/types/common';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { CONTENT_ROUTES } from '../../navigation/contentRoutes';
import { describeError } from '../../services/apiError';
import { bindPhone } from '../../services/me';
import { ROUTES } from '../../session/onboarding';
import { meStore, openRoute } from '../../session/session';
import { useMe } from '../../session/useMe';
import { usePageView } from '../../tracking/taro';
import { VerificationCard } from './VerificationCard';
import './index.css';

const TEXT = {
  unnamed: '未填写姓名',
  noHospital: '尚未填写医院',
  completeProfile: '完善资料，获取更精准的推荐',
  editProfile: '编辑资料',
  phone: '手机号',
  bindPhone: '绑定手机号',
  phoneBound: '已绑定',
  phoneDenied: '未获得手机号授权',
  phoneBoundToast: '手机号已绑定',
  privacy: '隐私政策',
  favorites: '我的收藏',
  history: '阅读历史',
  refreshFailed: '刷新失败：',
  footer: '本小程序仅面向医疗卫生专业人士',
};

function maskPhone(phone: string): string {
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone;
}

async function refresh(): Promise<void> {
  await meStore.load();
}

export default function MePage() {
  const { me, error, reload } = useMe();
  usePageView();

  useDidShow(() => {
    void refresh();
  });
  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh());
  });

  if (!me) {
    return (
      <View className='page'>{error ? <ErrorState message={error} onRetry={() => void reload()} /> : <LoadingState />}</View>
    );
  }

  const { profile } = me;
  const place = [profile.province, profile.city].filter(Boolean).join(' ');
  const subtitle = [profile.title, profile.department].filter(Boolean).join(' · ');

  async function onPhoneNumber(e: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>): Promise<void> {
    const { code } = e.detail;
    if (!code) {
      void Taro.showToast({ title: TEXT.phoneDenied, icon: 'none' });
      return;
    }
    try {
      meStore.patch({ profile: await bindPhone(code) });
      void Taro.showToast({ title: TEXT.phoneBoundToast, icon: 'success' });
    } catch (err) {
      void Taro.showToast({ title: describeError(err), icon: 'none' });
    }
  }

  return (
    <View className='page me-page'>
      <View className='card profile-card' id='profile-card'>
        <View className='avatar'>{(profile.name ?? '医').slice(0, 1)}</View>
        <View className='profile-card-body'>
          <Text className='profile-card-name' id='profile-card-name'>
            {profile.name ?? TEXT.unnamed}
          </Text>
          {subtitle ? <Text className='profile-card-line'>{subtitle}</Text> : null}
          <Text className='profile-card-line'>{profile.hospital ?? TEXT.noHospital}</Text>
          {place ? <Text className='profile-card-line muted'>{place}</Text> : null}
        </View>
      </View>
      {error ? <Text className='form-error'>{`${TEXT.refreshFailed}${error}`}</Text> : null}

      <VerificationCard verification={me.verification} />

      <View className='card menu'>
        <View className='menu-item' id='my-favorites' onClick={() => void Taro.navigateTo({ url: CONTENT_ROUTES.favorites })}>
          <Text className='menu-label'>{TEXT.favorites}</Text>
          <Text className='menu-extra' />
          <Text className='menu-arrow'>›</Text>
        </View>
        <View className='menu-item' id='my-history' onClick={() => void Taro.navigateTo({ url: CONTENT_ROUTES.history })}>
          <Text className='menu-label'>{TEXT.history}</Text>
          <Text className='menu-extra' />
          <Text className='menu-arrow'>›</Text>
        </View>
      </View>

      <View className='card menu'>
        <View className='menu-item' id='edit-profile' onClick={() => openRoute(ROUTES.profile)}>
          <Text className='menu-label'>{TEXT.editProfile}</Text>
          <Text className='menu-extra'>{profile.complete ? '' : TEXT.completeProfile}</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
        {process.env.TARO_ENV === 'weapp' ? (
          <View className='menu-item'>
            <Text className='menu-label'>{TEXT.phone}</Text>
            {profile.phone ? (
              <Text className='menu-extra'>{maskPhone(profile.phone)}</Text>
            ) : (
              <Button
                id='bind-phone'
                className='menu-button'
                openType='getPhoneNumber'
                onGetPhoneNumber={(e) => void onPhoneNumber(e)}
              >
                {TEXT.bindPhone}
              </Button>
            )}
          </View>
        ) : null}
        <View className='menu-item' id='privacy-policy' onClick={() => openRoute(ROUTES.consent)}>
          <Text className='menu-label'>{TEXT.privacy}</Text>
          <Text className='menu-extra' />
          <Text className='menu-arrow'>›</Text>
        </View>
      </View>
      <Text className='me-footer muted'>{TEXT.footer}</Text>
    </View>
  );
}

/**
 * A campaign: what it asks for, until when, the fields of its form, and how many cases this
 * doctor has sent. Starting (or resuming) a case needs HCP verification; an unverified doctor is
 * told why and sent to 我的 to apply.
 */
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { TOPICS, type CampaignDetail } from '@hcp360/shared';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { caseErrorMessage, fetchCampaign } from '../../pages/cases/casesApi';
import { CASE_ROUTES, dateOf } from '../../pages/cases/caseRoutes';
import { useMe } from '../../session/useMe';
import { usePageView } from '../../tracking/taro';
import '../cases.css';

const TEXT = {
  period: '征集时间',
  fields: '需要填写',
  required: '必填',
  mine: (n: number, max: number) => `您已投稿 ${n} 例（每人最多 ${max} 例）`,
  start: '填写病例',
  limit: '已达投稿上限',
  verifyFirst: '仅限已认证医生投稿，请先在「我的」完成医师认证',
  goVerify: '去认证',
  privacy: '请勿填写患者姓名、身份证号、电话、住院号、详细住址、出生日期等可识别身份的信息；系统会自动检测并提示遮盖。',
};

export default function CampaignPage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  const { me } = useMe();
  const [c, setC] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setC(await fetchCampaign(id));
      setError(null);
    } catch (err) {
      setError(caseErrorMessage(err));
    }
  };
  useDidShow(() => void load());

  if (!c) return <View className='page'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <LoadingState />}</View>;
  const verified = me?.verification.status === 'verified';
  const full = c.mySubmissions >= c.maxPerDoctor;
  return (
    <View className='page case-page'>
      <View className='card'>
        <Text className='card-title' id='campaign-title'>
          {c.title}
        </Text>
        <View className='campaign-meta'>
          {c.topics.map((t) => (
            <Text key={t} className='campaign-topic'>
              {TOPICS[t]}
            </Text>
          ))}
        </View>
        {c.description ? <Text className='case-text'>{c.description}</Text> : null}
        <Text className='muted case-line'>{`${TEXT.period}：${dateOf(c.opensAt)} 至 ${dateOf(c.closesAt)}`}</Text>
        <Text className='muted case-line'>{TEXT.mine(c.mySubmissions, c.maxPerDoctor)}</Text>
      </View>
      <View className='card'>
        <Text className='card-title'>{TEXT.fields}</Text>
        {c.form.fields.map((f) => (
          <View key={f.key} className='case-field-summary'>
            <Text>{f.label}</Text>
            {f.required ? <Text className='case-required'>{TEXT.required}</Text> : null}
          </View>
        ))}
      </View>
      <View className='case-notice'>
        <Text>{TEXT.privacy}</Text>
      </View>
      {verified ? (
        <PrimaryButton id='start-case' disabled={full} onClick={() => void Taro.navigateTo({ url: CASE_ROUTES.newCase(c.id) })}>
          {full ? TEXT.limit : TEXT.start}
        </PrimaryButton>
      ) : (
        <View className='card' id='verify-first'>
          <Text className='case-text'>{TEXT.verifyFirst}</Text>
          <PrimaryButton id='go-verify' onClick={() => void Taro.switchTab({ url: '/pages/me/index' })}>
            {TEXT.goVerify}
          </PrimaryButton>
        </View>
      )}
    </View>
  );
}

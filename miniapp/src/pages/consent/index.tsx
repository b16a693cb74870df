/**
 * 隐私政策: the policy summary and two separate consents — the policy itself, and the
 * separate consent PIPL Art. 29 requires for sensitive personal information. Both must be
 * ticked; the version sent is the one the server says is current.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Checkbox, CheckboxGroup, Label, Text, View } from '@tarojs/components';
import { CURRENT_POLICY_VERSION } from '@hcp360/shared';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { ApiError, describeError } from '../../services/apiError';
import { acceptConsents } from '../../services/me';
import { continueOnboarding, meStore } from '../../session/session';
import { useMe } from '../../session/useMe';
import { usePageView } from '../../tracking/taro';
import { POLICY_INTRO, POLICY_SECTIONS, POLICY_TITLE, SENSITIVE_NOTICE } from './policyText';
import './index.css';

const TEXT = {
  version: '版本',
  agreePolicy: '我已阅读并同意《隐私政策》',
  agreeSensitive: '我单独同意 HCP360 处理我的敏感个人信息（执业信息、病例等医疗健康信息），用于医师身份认证和病例征集审核',
  submit: '同意并继续',
  submitting: '提交中…',
  refuse: '如您不同意，可直接退出小程序，我们不会收集您的任何执业信息。',
  accepted: '您已同意当前版本的隐私政策',
  acceptedAt: '同意时间',
  back: '返回',
};

function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

export default function ConsentPage() {
  const { me, error, reload } = useMe();
  usePageView();
  const [policy, setPolicy] = useState(false);
  const [sensitive, setSensitive] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const version = me?.consents.currentVersion ?? CURRENT_POLICY_VERSION;
  const canSubmit = policy && sensitive && !submitting && me !== null;

  async function submit(): Promise<void> {
    if (!canSubmit || !me) return;
    setSubmitting(true);
    setFormError(null);
    try {
      const consents = await acceptConsents(me.consents.currentVersion);
      meStore.patch({ consents });
      await continueOnboarding({ ...me, consents });
    } catch (err) {
      setFormError(describeError(err));
      if (err instanceof ApiError && err.code === 'CONSENT_VERSION_OUTDATED') {
        // A newer policy was published while the page was open: show it and ask again.
        setPolicy(false);
        setSensitive(false);
        await meStore.load();
      }
    } finally {
      setSubmitting(false);
    }
  }

  const latest = me?.consents.accepted.find((c) => c.policyVersion === me.consents.currentVersion);

  function actions() {
    if (!me) return error ? <ErrorState message={error} onRetry={() => void reload()} /> : <LoadingState />;
    if (me.consents.upToDate) {
      return (
        <View className='consent-done' id='consent-accepted'>
          <Text className='consent-done-title'>{TEXT.accepted}</Text>
          {latest ? <Text className='muted'>{`${TEXT.acceptedAt}：${formatDate(latest.at)}`}</Text> : null}
          <Button className='btn btn-quiet consent-back' onClick={() => void Taro.navigateBack().catch(() => undefined)}>
            {TEXT.back}
          </Button>
        </View>
      );
    }
    return (
      <View className='consent-actions'>
        <CheckboxGroup onChange={(e) => setPolicy((e.detail.value as string[]).includes('policy'))}>
          <Label className='consent-check'>
            <Checkbox id='consent-policy' value='policy' checked={policy} color='#0b7a84' />
            <Text className='consent-check-text'>{TEXT.agreePolicy}</Text>
          </Label>
        </CheckboxGroup>
        <CheckboxGroup onChange={(e) => setSensitive((e.detail.value as string[]).includes('sensitive'))}>
          <Label className='consent-check'>
            <Checkbox id='consent-sensitive' value='sensitive' checked={sensitive} color='#0b7a84' />
            <Text className='consent-check-text'>{TEXT.agreeSensitive}</Text>
          </Label>
        </CheckboxGroup>
        {formError ? <Text className='form-error'>{formError}</Text> : null}
        <PrimaryButton id='consent-submit' disabled={!canSubmit} onClick={() => void submit()}>
          {submitting ? TEXT.submitting : TEXT.submit}
        </PrimaryButton>
        <Text className='muted consent-refuse'>{TEXT.refuse}</Text>
      </View>
    );
  }

  return (
    <View className='page consent-page'>
      <View className='card'>
        <Text className='consent-title'>{POLICY_TITLE}</Text>
        <Text className='muted'>{`${TEXT.version} ${version}`}</Text>
        <Text className='consent-paragraph consent-intro'>{POLICY_INTRO}</Text>
        {POLICY_SECTIONS.map((section) => (
          <View key={section.heading} className='consent-section'>
            <Text className='consent-heading'>{section.heading}</Text>
            {section.paragraphs.map((p) => (
              <Text key={p} className='consent-paragraph'>
                {p}
              </Text>
            ))}
          </View>
        ))}
        <View className='consent-section consent-sensitive'>
          <Text className='consent-heading'>{SENSITIVE_NOTICE.heading}</Text>
          <Text className='consent-paragraph'>{SENSITIVE_NOTICE.paragraph}</Text>
        </View>
      </View>
      {actions()}
    </View>
  );
}

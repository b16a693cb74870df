/**
 * 医师认证 on 我的: the status label (id verification-status, exactly the shared label) and,
 * while unverified or rejected, the form that asks for verification with a licence number.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { VERIFICATION_STATUS_LABELS, type MeResponse } from '@hcp360/shared';
import { PrimaryButton } from '../../components/PrimaryButton';
import { fieldErrorsFromApi } from '../../forms/fieldErrors';
import { validateLicenseNo } from '../../forms/profileForm';
import { ApiError, describeError } from '../../services/apiError';
import { requestVerification } from '../../services/me';
import { ROUTES } from '../../session/onboarding';
import { meStore, openRoute } from '../../session/session';

const TEXT = {
  title: '医师认证',
  pendingHint: '认证申请已提交，审核通常需要 1–3 个工作日。',
  verifiedHint: '您已通过医师认证，可查看仅供医学药学专业人士阅读的内容。',
  noneHint: '提交医师执业证书编码，通过审核后可查看处方药相关专业内容。',
  rejectedHint: '认证未通过，请核对后重新提交。',
  reviewerComment: '审核意见：',
  licenseLabel: '执业证书编码',
  licensePlaceholder: '请输入 15 位执业证书编码',
  submit: '提交认证',
  submitting: '提交中…',
  submitted: '已提交，请等待审核',
  goProfile: '去完善资料',
};

export function VerificationCard({ verification }: { verification: MeResponse['verification'] }) {
  const [licenseNo, setLicenseNo] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<ApiError | string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const { status } = verification;
  const canRequest = status === 'none' || status === 'rejected';

  async function submit(): Promise<void> {
    if (submitting) return;
    setFormError(null);
    const checked = validateLicenseNo(licenseNo);
    if (!checked.ok) {
      setFieldError(checked.errors.licenseNo);
      return;
    }
    setFieldError(undefined);
    setSubmitting(true);
    try {
      await requestVerification(checked.value);
      meStore.patch({ verification: { status: 'pending', comment: null } });
      setLicenseNo('');
      void Taro.showToast({ title: TEXT.submitted, icon: 'success' });
    } catch (err) {
      const fields = fieldErrorsFromApi(err, ['licenseNo']);
      if (fields) setFieldError(fields.licenseNo);
      else setFormError(err instanceof ApiError ? err : describeError(err));
      // The server knows better (e.g. already pending after a double submit): show its state.
      if (err instanceof ApiError && err.status === 409) void meStore.load();
    } finally {
      setSubmitting(false);
    }
  }

  const hint = { none: TEXT.noneHint, pending: TEXT.pendingHint, verified: TEXT.verifiedHint, rejected: TEXT.rejectedHint }[status];
  const formErrorText = typeof formError === 'string' ? formError : formError?.message;

  return (
    <View className='card verification-card'>
      <View className='verification-head'>
        <Text className='card-title verification-title'>{TEXT.title}</Text>
        <Text id='verification-status' className={`status-badge status-badge-${status}`}>
          {VERIFICATION_STATUS_LABELS[status]}
        </Text>
      </View>
      <Text className='muted verification-hint'>{hint}</Text>
      {status === 'rejected' && verification.comment ? (
        <Text className='verification-comment' id='verification-comment'>
          {TEXT.reviewerComment}
          {verification.comment}
        </Text>
      ) : null}

      {canRequest ? (
        <View className='verification-form'>
          <Text className='form-label'>{TEXT.licenseLabel}</Text>
          <Input
            id='license-no'
            className={`verification-input${fieldError ? ' verification-input-invalid' : ''}`}
            type='number'
            maxlength={15}
            value={licenseNo}
            placeholder={TEXT.licensePlaceholder}
            placeholderClass='form-placeholder'
            onInput={(e) => {
              setLicenseNo(e.detail.value);
              setFieldError(undefined);
            }}
          />
          {fieldError ? <Text className='field-error'>{fieldError}</Text> : null}
          {formErrorText ? (
            <View className='form-error verification-form-error'>
              <Text>{formErrorText}</Text>
              {formError instanceof ApiError && formError.code === 'PROFILE_INCOMPLETE' ? (
                <Text className='inline-link' onClick={() => openRoute(ROUTES.profile)}>
                  {TEXT.goProfile}
                </Text>
              ) : null}
            </View>
          ) : null}
          <PrimaryButton id='verification-submit' className='verification-submit' disabled={submitting} onClick={() => void submit()}>
            {submitting ? TEXT.submitting : TEXT.submit}
          </PrimaryButton>
        </View>
      ) : null}
    </View>
  );
}

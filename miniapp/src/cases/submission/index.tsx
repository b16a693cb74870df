/**
 * One of the doctor's cases: status, the reviewer's note, the answers as submitted, the history of
 * versions, and 修改后重新提交 when the reviewer asked for a revision. Also where the review-result
 * subscribe message leads.
 */
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { CASE_STATUS_LABELS, type SubmissionView } from '@hcp360/shared';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { caseErrorMessage, caseImageUrl, fetchSubmission } from '../../pages/cases/casesApi';
import { CASE_ROUTES, dateOf } from '../../pages/cases/caseRoutes';
import { usePageView } from '../../tracking/taro';
import '../cases.css';

const TEXT = { note: '审核意见：', revise: '修改后重新提交', history: '审核记录', answers: '病例内容', version: (n: number) => `第 ${n} 版` };

export default function SubmissionPage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  const [s, setS] = useState<SubmissionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setS(await fetchSubmission(id));
      setError(null);
    } catch (err) {
      setError(caseErrorMessage(err));
    }
  };
  useDidShow(() => void load());

  if (!s) return <View className='page'>{error ? <ErrorState message={error} onRetry={() => void load()} /> : <LoadingState />}</View>;
  return (
    <View className='page case-page'>
      <View className='card'>
        <View className='case-sub-head'>
          <Text className='card-title'>{s.campaignTitle}</Text>
          <Text className={`case-status case-status-${s.status}`} id='submission-status'>
            {CASE_STATUS_LABELS[s.status]}
          </Text>
        </View>
        <Text className='muted'>{`${TEXT.version(s.version)} · 提交于 ${dateOf(s.submittedAt)}`}</Text>
        {s.reviewerNote ? (
          <Text className='case-note' id='reviewer-note'>
            {`${TEXT.note}${s.reviewerNote}`}
          </Text>
        ) : null}
      </View>
      {s.status === 'needs_revision' ? (
        <PrimaryButton id='revise-case' onClick={() => void Taro.navigateTo({ url: CASE_ROUTES.revise(s.id) })}>
          {TEXT.revise}
        </PrimaryButton>
      ) : null}
      <View className='card'>
        <Text className='card-title'>{TEXT.answers}</Text>
        {s.form.fields.map((f) => {
          const v = s.answers[f.key];
          if (v === undefined) return null;
          return (
            <View key={f.key} className='case-answer'>
              <Text className='case-answer-label'>{f.label}</Text>
              {f.type === 'images' && Array.isArray(v) ? (
                <View className='case-images'>
                  {v.map((n) => (s.imageUrls[n] ? <Image key={n} className='case-image-img' src={caseImageUrl(s.imageUrls[n]!)} mode='aspectFill' /> : null))}
                </View>
              ) : (
                <Text className='case-answer-value' id={`answer-${f.key}`}>
                  {Array.isArray(v) ? v.join('、') : f.type === 'number' && f.unit ? `${v} ${f.unit}` : String(v)}
                </Text>
              )}
            </View>
          );
        })}
      </View>
      {s.versions.length > 1 || s.versions[0]?.decision ? (
        <View className='card'>
          <Text className='card-title'>{TEXT.history}</Text>
          {s.versions.map((v) => (
            <View key={v.version} className='case-answer'>
              <Text className='case-answer-label'>{`${TEXT.version(v.version)} · ${dateOf(v.submittedAt)}`}</Text>
              <Text className='case-answer-value'>{v.decision ? `${CASE_STATUS_LABELS[v.decision]}${v.note ? `：${v.note}` : ''}` : CASE_STATUS_LABELS.under_review}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

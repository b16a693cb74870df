/**
 * 个人资料: fills or edits the doctor's profile. Validated on the client with the shared
 * ProfileInput schema; the server's VALIDATION_FAILED details land on the same fields.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { DEPARTMENTS, HOSPITAL_LEVELS, PROVINCES, TITLES } from '@hcp360/shared';
import { FormField } from '../../components/FormField';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { SelectField } from '../../components/SelectField';
import { fieldErrorsFromApi, type FieldErrors } from '../../forms/fieldErrors';
import { draftFromProfile, PROFILE_FIELDS, validateProfileDraft, type ProfileDraft } from '../../forms/profileForm';
import { describeError } from '../../services/apiError';
import { saveProfile } from '../../services/me';
import { afterProfileSaved, meStore } from '../../session/session';
import { useMe } from '../../session/useMe';
import { usePageView } from '../../tracking/taro';
import './index.css';

const TEXT = {
  introNew: '完善资料后，我们会为您推荐更贴合临床需要的专业内容。',
  introEdit: '资料变更后，推荐内容会随之更新。',
  privacy: '执业信息仅用于医师身份认证和内容推荐，不会公开展示。',
  name: '姓名',
  namePlaceholder: '请输入真实姓名',
  hospital: '医院',
  hospitalPlaceholder: '请输入执业医院全称',
  hospitalLevel: '医院等级',
  department: '科室',
  title: '职称',
  province: '省份',
  city: '城市',
  cityPlaceholder: '如：杭州',
  choose: '请选择',
  submit: '保存',
  saving: '保存中…',
  saved: '资料已保存',
  checkFields: '请检查标红的内容',
};

export default function ProfilePage() {
  const { me, error, reload } = useMe();
  usePageView();
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (me && !draft) setDraft(draftFromProfile(me.profile));
  }, [me, draft]);

  if (!draft) {
    return (
      <View className='page'>
        {error ? <ErrorState message={error} onRetry={() => void reload()} /> : <LoadingState />}
      </View>
    );
  }

  const update = (field: keyof ProfileDraft) => (value: string) => {
    setDraft({ ...draft, [field]: value });
    if (errors[field]) setErrors({ ...errors, [field]: undefined });
  };

  async function submit(): Promise<void> {
    if (saving || !draft) return;
    setFormError(null);
    const checked = validateProfileDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      setFormError(TEXT.checkFields);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const profile = await saveProfile(checked.value);
      meStore.patch({ profile });
      void Taro.showToast({ title: TEXT.saved, icon: 'success' });
      await afterProfileSaved();
    } catch (err) {
      const fieldErrors = fieldErrorsFromApi(err, PROFILE_FIELDS);
      if (fieldErrors) setErrors(fieldErrors);
      setFormError(fieldErrors ? TEXT.checkFields : describeError(err));
    } finally {
      setSaving(false);
    }
  }

  const isNew = !me?.profile.complete;
  return (
    <View className='page profile-page'>
      <View className='profile-intro'>
        <Text className='profile-intro-text'>{isNew ? TEXT.introNew : TEXT.introEdit}</Text>
        <Text className='muted'>{TEXT.privacy}</Text>
      </View>

      <View className='card profile-form'>
        <FormField label={TEXT.name} required error={errors.name}>
          <Input
            id='profile-name'
            className='form-input'
            value={draft.name}
            maxlength={20}
            placeholder={TEXT.namePlaceholder}
            placeholderClass='form-placeholder'
            onInput={(e) => update('name')(e.detail.value)}
          />
        </FormField>
        <FormField label={TEXT.hospital} required error={errors.hospital}>
          <Input
            id='profile-hospital'
            className='form-input'
            value={draft.hospital}
            maxlength={60}
            placeholder={TEXT.hospitalPlaceholder}
            placeholderClass='form-placeholder'
            onInput={(e) => update('hospital')(e.detail.value)}
          />
        </FormField>
        <FormField label={TEXT.hospitalLevel} error={errors.hospitalLevel}>
          <SelectField
            id='profile-hospital-level'
            options={HOSPITAL_LEVELS}
            value={draft.hospitalLevel}
            placeholder={TEXT.choose}
            onChange={update('hospitalLevel')}
          />
        </FormField>
        <FormField label={TEXT.department} required error={errors.department}>
          <SelectField
            id='profile-department'
            options={DEPARTMENTS}
            value={draft.department}
            placeholder={TEXT.choose}
            onChange={update('department')}
          />
        </FormField>
        <FormField label={TEXT.title} required error={errors.title}>
          <SelectField id='profile-title' options={TITLES} value={draft.title} placeholder={TEXT.choose} onChange={update('title')} />
        </FormField>
        <FormField label={TEXT.province} error={errors.province}>
          <SelectField
            id='profile-province'
            options={PROVINCES}
            value={draft.province}
            placeholder={TEXT.choose}
            onChange={update('province')}
          />
        </FormField>
        <FormField label={TEXT.city} error={errors.city}>
          <Input
            id='profile-city'
            className='form-input'
            value={draft.city}
            maxlength={20}
            placeholder={TEXT.cityPlaceholder}
            placeholderClass='form-placeholder'
            onInput={(e) => update('city')(e.detail.value)}
          />
        </FormField>
      </View>

      {formError ? <Text className='form-error' id='profile-form-error'>{formError}</Text> : null}
      <PrimaryButton id='profile-submit' disabled={saving} onClick={() => void submit()}>
        {saving ? TEXT.saving : TEXT.submit}
      </PrimaryButton>
    </View>
  );
}

/**
 * The case form: a new case for a campaign (?campaign=id) or the revision of a returned one
 * (?submission=id). As the doctor types, each field is checked by the shared validator and the
 * text fields by the shared patient-identifier detector: findings are highlighted and a masked
 * version offered, applied only once the doctor confirms. The draft is saved on the server a
 * moment after each change (and when the page is left), so it resumes on another device.
 */
import Taro, { useDidHide, useRouter, useUnload } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CASE_IMAGE_NAME_RE, type CaseDraft, type CaseForm, type PhiDetail } from '@hcp360/shared';
import { useEffect, useRef, useState } from 'react';
import { FormField } from '../../components/FormField';
import { ErrorState, LoadingState } from '../../components/PageStatus';
import { PrimaryButton } from '../../components/PrimaryButton';
import { ApiError } from '../../services/apiError';
import { caseErrorMessage, caseImageUrl, fetchCampaign, fetchDraft, fetchSubmission, reviseCase, saveDraft, submitCase, type DraftTarget } from '../../pages/cases/casesApi';
import { CASE_ROUTES } from '../../pages/cases/caseRoutes';
import { tracker, usePageView } from '../../tracking/taro';
import { answersOf, fieldErrorsOf, phiWarningsFromDetails, phiWarningsOf, valuesFrom, type FormValues, type PhiWarning } from '../caseForm';
import { CaseFieldInput } from './CaseFieldInput';
import type { ImageItem } from './ImageField';
import { PhiWarningBox } from './PhiWarningBox';
import '../cases.css';

const TEXT = {
  submit: '提交审核',
  resubmit: '提交修改',
  submitting: '提交中…',
  saving: '草稿保存中…',
  saved: (t: string) => `草稿已自动保存 ${t}`,
  saveFailed: '草稿保存失败，稍后自动重试',
  fixErrors: '请检查标红的项目',
  fixPhi: '请先遮盖或删除患者身份信息',
  note: '审核意见：',
  privacy: '请勿填写可识别患者身份的信息（姓名、身份证号、电话、住院号、住址、出生日期）。',
};
const AUTOSAVE_MS = 1200;
/** The subscribe-message template for review results (configured in the WeChat admin console). */
const RESULT_TEMPLATE = 'hcp360-case-result';

interface Loaded {
  target: DraftTarget;
  campaignId: string;
  title: string;
  form: CaseForm;
  reviewerNote?: string;
}

const hhmm = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);

export default function CaseFormPage() {
  usePageView();
  const params = useRouter().params;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [images, setImages] = useState<Record<string, ImageItem[]>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [serverPhi, setServerPhi] = useState<Record<string, PhiWarning>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState('');
  const [busy, setBusy] = useState(false);
  const revision = useRef(0);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saving = useRef<Promise<void> | null>(null);
  const latest = useRef<{ values: FormValues; loaded: Loaded | null }>({ values, loaded });
  latest.current = { values, loaded };

  function applyDraft(form: CaseForm, d: CaseDraft) {
    const v = valuesFrom(form, d.answers);
    setValues(v);
    setImages(imagesFrom(form, v, d.imageUrls));
    revision.current = d.revision;
  }

  async function load() {
    try {
      let l: Loaded;
      let fallback: { answers: Record<string, unknown>; imageUrls: Record<string, string> } = { answers: {}, imageUrls: {} };
      if (params.submission) {
        const s = await fetchSubmission(params.submission);
        l = { target: { submissionId: s.id }, campaignId: s.campaignId, title: s.campaignTitle, form: s.form, reviewerNote: s.reviewerNote };
        fallback = { answers: s.answers, imageUrls: s.imageUrls };
      } else {
        const c = await fetchCampaign(params.campaign ?? '');
        l = { target: { campaignId: c.id }, campaignId: c.id, title: c.title, form: c.form };
      }
      const d = await fetchDraft(l.target);
      applyDraft(l.form, d.revision > 0 ? d : { ...d, answers: fallback.answers as CaseDraft['answers'], imageUrls: fallback.imageUrls });
      if (d.savedAt) setSaveState(TEXT.saved(hhmm(d.savedAt)));
      setLoaded(l);
      void Taro.setNavigationBarTitle({ title: l.title.slice(0, 16) });
    } catch (err) {
      setLoadError(caseErrorMessage(err));
    }
  }
  useEffect(() => void load(), []);

  /** Saves the draft now (one save at a time); a conflict loads what the other device saved. */
  async function flush(): Promise<void> {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    await saving.current;
    const { values: v, loaded: l } = latest.current;
    if (!l || !dirty.current) return;
    dirty.current = false;
    setSaveState(TEXT.saving);
    saving.current = (async () => {
      try {
        const res = await saveDraft(l.target, answersOf(l.form, v), revision.current);
        revision.current = res.revision;
        setSaveState(TEXT.saved(hhmm(res.savedAt)));
      } catch (err) {
        if (err instanceof ApiError && err.code === 'DRAFT_CONFLICT' && err.details) {
          applyDraft(l.form, err.details as CaseDraft);
          void Taro.showToast({ title: caseErrorMessage(err), icon: 'none' });
          setSaveState('');
        } else {
          dirty.current = true;
          setSaveState(TEXT.saveFailed);
          timer.current = setTimeout(() => void flush(), AUTOSAVE_MS * 5);
        }
      }
    })();
    await saving.current;
    saving.current = null;
  }
  const scheduleSave = () => {
    dirty.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
  };
  useDidHide(() => void flush());
  useUnload(() => void flush());

  const setValue = (key: string, v: string | string[]) => {
    setValues((prev) => {
      const next = { ...prev, [key]: v };
      latest.current = { values: next, loaded: latest.current.loaded };
      return next;
    });
    setTouched((t) => ({ ...t, [key]: true }));
    setServerErrors(({ [key]: _drop, ...rest }) => rest);
    setServerPhi(({ [key]: _drop, ...rest }) => rest);
    scheduleSave();
  };
  const setFieldImages = (key: string) => (fn: (items: ImageItem[]) => ImageItem[]) => setImages((all) => ({ ...all, [key]: fn(all[key] ?? []) }));
  // Finished uploads become the image field's answer.
  useEffect(() => {
    for (const [key, items] of Object.entries(images)) {
      const names = items.flatMap((it) => (it.name ? [it.name] : []));
      const cur = latest.current.values[key];
      if (JSON.stringify(names) !== JSON.stringify(Array.isArray(cur) ? cur : [])) setValue(key, names);
    }
  }, [images]);

  if (!loaded) return <View className='page'>{loadError ? <ErrorState message={loadError} onRetry={() => void load()} /> : <LoadingState />}</View>;
  const { form } = loaded;

  const errors = { ...fieldErrorsOf(form, values, { partial: !showAll, now: Date.now() }), ...serverErrors };
  const phi = { ...phiWarningsOf(form, values), ...serverPhi };
  const uploading = Object.values(images).some((items) => items.some((it) => !it.name));

  async function onSubmit() {
    if (!loaded || busy) return;
    setShowAll(true);
    setFormError(null);
    const full = fieldErrorsOf(form, values, { now: Date.now() });
    if (Object.keys(full).length) return void setFormError(TEXT.fixErrors);
    if (Object.keys(phiWarningsOf(form, values)).length) return void setFormError(TEXT.fixPhi);
    setBusy(true);
    try {
      let notify = false;
      if (process.env.TARO_ENV === 'weapp') {
        try {
          const res = (await Taro.requestSubscribeMessage({ tmplIds: [RESULT_TEMPLATE] } as Parameters<typeof Taro.requestSubscribeMessage>[0])) as unknown as Record<string, string>;
          notify = res[RESULT_TEMPLATE] === 'accept';
        } catch {
          notify = false;
        }
      }
      // No autosave may land after the submission (it would bring the draft back).
      if (timer.current) clearTimeout(timer.current);
      await saving.current;
      dirty.current = false;
      const answers = answersOf(form, values);
      const res = 'campaignId' in loaded.target ? await submitCase(loaded.campaignId, answers, notify) : await reviseCase(loaded.target.submissionId, answers, notify);
      tracker.track('case_submit', { campaign_id: loaded.campaignId, submission_id: res.id });
      void tracker.flush();
      void Taro.redirectTo({ url: CASE_ROUTES.submission(res.id) });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'PHI_DETECTED' && Array.isArray(err.details)) setServerPhi(phiWarningsFromDetails(values, err.details as PhiDetail[]));
      if (err instanceof ApiError && Array.isArray(err.details)) {
        const byField: Record<string, string> = {};
        for (const d of err.details as { field?: string; message?: string }[]) if (d.field && d.message && !byField[d.field]) byField[d.field] = d.message;
        setServerErrors(byField);
      }
      setFormError(caseErrorMessage(err));
      dirty.current = true;
      scheduleSave();
    } finally {
      setBusy(false);
    }
  }

  async function offerMask(w: PhiWarning) {
    const { confirm } = await Taro.showModal({ title: '确认遮盖', content: `将替换为：${w.masked}`, confirmText: '遮盖', cancelText: '取消' });
    if (confirm) setValue(w.field, w.masked);
  }

  return (
    <View className='page case-page'>
      {loaded.reviewerNote ? <Text className='case-note'>{`${TEXT.note}${loaded.reviewerNote}`}</Text> : null}
      <View className='case-notice'>
        <Text>{TEXT.privacy}</Text>
      </View>
      {form.fields.map((f) => (
        <View key={f.key} className='card' id={`case-field-${f.key}`}>
          <FormField label={f.label} required={f.required} error={touched[f.key] || showAll ? errors[f.key] : serverErrors[f.key]}>
            {f.help ? <Text className='case-help'>{f.help}</Text> : null}
            <CaseFieldInput field={f} value={values[f.key]} onChange={(v) => setValue(f.key, v)} images={images[f.key] ?? []} onImages={setFieldImages(f.key)} />
            {phi[f.key] ? <PhiWarningBox warning={phi[f.key]!} text={String(values[f.key] ?? '')} onMask={() => void offerMask(phi[f.key]!)} /> : null}
          </FormField>
        </View>
      ))}
      {formError ? (
        <Text className='form-error' id='case-form-error'>
          {formError}
        </Text>
      ) : null}
      <PrimaryButton id='submit-case' disabled={busy || uploading} onClick={() => void onSubmit()}>
        {busy ? TEXT.submitting : 'submissionId' in loaded.target ? TEXT.resubmit : TEXT.submit}
      </PrimaryButton>
      <Text className='case-save-state' id='draft-state'>
        {saveState}
      </Text>
    </View>
  );
}

/** Image items of the stored answers, shown through their signed URLs. */
function imagesFrom(form: CaseForm, v: FormValues, urls: Record<string, string>): Record<string, ImageItem[]> {
  const out: Record<string, ImageItem[]> = {};
  for (const f of form.fields) {
    if (f.type !== 'images' || !Array.isArray(v[f.key])) continue;
    out[f.key] = (v[f.key] as string[]).filter((n) => CASE_IMAGE_NAME_RE.test(n)).map((n) => ({ key: n, name: n, src: urls[n] ? caseImageUrl(urls[n]) : '' }));
  }
  return out;
}

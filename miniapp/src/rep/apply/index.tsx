/**
 * Rep: apply for a live stream (a department meeting or webinar). Title, description, topics,
 * speakers (name, hospital, title), start and length, Rx-only, expected attendance. Validated
 * with the shared schema before sending; the server validates again and answers field issues.
 * The application then goes to the department manager and compliance (我的直播申请).
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Picker, Switch, Text, Textarea, View } from '@tarojs/components';
import { LiveApplyInput, TOPICS, TOPIC_CODES, type Topic } from '@hcp360/shared';
import { PrimaryButton } from '../../components/PrimaryButton';
import { ApiError } from '../../services/apiError';
import { applyForLive, liveErrorText } from '../../live/liveApi';
import '../../live/live.css';

const TEXT = {
  title: '直播主题',
  description: '简介（选填）',
  topic: '话题',
  speaker: '讲者姓名',
  hospital: '讲者医院',
  speakerTitle: '讲者职称',
  date: '日期',
  time: '开始时间',
  minutes: '时长（分钟）',
  rxOnly: '涉及处方药信息（仅向已认证医生开放）',
  expected: '预计参会人数（选填）',
  submit: '提交申请',
  submitting: '提交中…',
  done: '已提交，等待部门审批',
};

const pad = (n: number) => String(n).padStart(2, '0');

function tomorrow(): string {
  const d = new Date(Date.now() + 8 * 3_600_000 + 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export default function RepApplyPage() {
  const [form, setForm] = useState({ title: '', description: '', topic: 'hypertension' as Topic, speaker: '', hospital: '', speakerTitle: '主任医师', date: tomorrow(), time: '19:30', minutes: '60', rxOnly: false, expected: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (v: string | boolean) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async () => {
    const start = Date.parse(`${form.date}T${form.time}:00+08:00`);
    const body = {
      title: form.title,
      ...(form.description.trim() ? { description: form.description } : {}),
      topics: [form.topic],
      speakers: [{ name: form.speaker, hospital: form.hospital, title: form.speakerTitle }],
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + Number(form.minutes || 0) * 60_000).toISOString(),
      segmentIds: [],
      rxOnly: form.rxOnly,
      ...(form.expected ? { expectedAttendance: Number(form.expected) } : {}),
    };
    const parsed = LiveApplyInput.safeParse(body);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? ''), i.message])));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await applyForLive(parsed.data);
      void Taro.showToast({ title: TEXT.done, icon: 'success' });
      await Taro.redirectTo({ url: '/rep/lives/index' });
    } catch (err) {
      if (err instanceof ApiError && err.fieldIssues.length) setErrors(Object.fromEntries(err.fieldIssues.map((i) => [i.path.split('.')[0] ?? '', i.message])));
      else void Taro.showToast({ title: liveErrorText(err), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  const field = (label: string, key: string, input: JSX.Element) => (
    <View className='live-field'>
      <Text className='live-field-label'>{label}</Text>
      {input}
      {errors[key] ? <Text className='live-error'>{errors[key]}</Text> : null}
    </View>
  );

  return (
    <View className='page rep-apply-page'>
      {field(TEXT.title, 'title', <Input id='apply-title' className='live-input' value={form.title} maxlength={60} onInput={(e) => set('title')(e.detail.value)} />)}
      {field(TEXT.description, 'description', <Textarea className='live-input' value={form.description} maxlength={2000} onInput={(e) => set('description')(e.detail.value)} />)}
      {field(
        TEXT.topic,
        'topics',
        <Picker mode='selector' range={TOPIC_CODES.map((t) => TOPICS[t])} value={TOPIC_CODES.indexOf(form.topic)} onChange={(e) => set('topic')(TOPIC_CODES[Number(e.detail.value)]!)}>
          <View className='live-input'>{TOPICS[form.topic]}</View>
        </Picker>,
      )}
      {field(TEXT.speaker, 'speakers', <Input className='live-input' value={form.speaker} maxlength={20} onInput={(e) => set('speaker')(e.detail.value)} />)}
      {field(TEXT.hospital, 'speakers', <Input className='live-input' value={form.hospital} maxlength={60} onInput={(e) => set('hospital')(e.detail.value)} />)}
      {field(TEXT.speakerTitle, 'speakers', <Input className='live-input' value={form.speakerTitle} maxlength={30} onInput={(e) => set('speakerTitle')(e.detail.value)} />)}
      {field(
        TEXT.date,
        'startAt',
        <Picker mode='date' value={form.date} onChange={(e) => set('date')(String(e.detail.value))}>
          <View className='live-input'>{form.date}</View>
        </Picker>,
      )}
      {field(
        TEXT.time,
        'startAt',
        <Picker mode='time' value={form.time} onChange={(e) => set('time')(String(e.detail.value))}>
          <View className='live-input'>{form.time}</View>
        </Picker>,
      )}
      {field(TEXT.minutes, 'endAt', <Input className='live-input' type='number' value={form.minutes} onInput={(e) => set('minutes')(e.detail.value)} />)}
      {field(TEXT.expected, 'expectedAttendance', <Input className='live-input' type='number' value={form.expected} onInput={(e) => set('expected')(e.detail.value)} />)}
      <View className='live-field'>
        <Text className='live-field-label'>{TEXT.rxOnly}</Text>
        <Switch checked={form.rxOnly} onChange={(e) => set('rxOnly')(e.detail.value)} />
      </View>
      <PrimaryButton id='apply-submit' disabled={busy} onClick={() => void submit()}>
        {busy ? TEXT.submitting : TEXT.submit}
      </PrimaryButton>
    </View>
  );
}

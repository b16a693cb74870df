/**
 * The HCP360 engine's settings (admin edits; marketing reads): how affinities decay and what each
 * action weighs, what a deep read is, the engagement levels, the lifecycle thresholds and the KOL
 * and KOC rules. Checked with the shared EngineSettingsSchema before saving; the server checks
 * again, records it in the audit log and re-derives every doctor's profile with the new values.
 */
import { EngineSettingsSchema, HOSPITAL_LEVELS, TITLES, type EngineSettings as Settings, type Role } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { Chips, FieldError, FormError } from '../fields.js';
import { errorText } from '../labels.js';

const WEIGHT_TEXT: Record<keyof Settings['weights'], string> = {
  view: '浏览',
  readBase: '阅读（基础）',
  readDeep: '深度阅读（加分）',
  readFullDwellSeconds: '满分阅读时长（秒）',
  like: '点赞',
  favorite: '收藏',
  share: '分享',
  liveRegister: '直播报名',
  liveMinute: '每分钟直播观看',
  replay: '回放',
  caseSubmit: '提交病例',
  search: '搜索',
};

/** Numbers as typed, by their path in the settings (e.g. "weights.like"). */
type Texts = Record<string, string>;

const NUMBER_PATHS = [
  'halfLifeDays',
  'affinityScale',
  ...Object.keys(WEIGHT_TEXT).map((k) => `weights.${k}`),
  'deepRead.dwellSeconds',
  'deepRead.scrollDepth',
  'engagement.windowDays',
  'engagement.medium',
  'engagement.high',
  'lifecycle.engagedActions',
  'lifecycle.advocateReferrals',
  'lifecycle.dormantDays',
  'koc.minAcceptedCases',
  'koc.minReferred',
];

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o);
function set(o: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

export function EngineSettingsPage({ role }: { role: Role }) {
  const [s, setS] = useState<Settings | null>(null);
  const [texts, setTexts] = useState<Texts>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const admin = role === 'admin';

  function show(got: Settings) {
    setS(got);
    setTexts(Object.fromEntries(NUMBER_PATHS.map((p) => [p, String(get(got, p))])));
  }
  useEffect(() => {
    api<Settings>('GET', '/api/admin/engine/settings').then(show, (err) => setError(errorText(err)));
  }, []);
  if (!s) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;

  async function save(e: FormEvent) {
    e.preventDefault();
    const next = structuredClone(s) as unknown as Record<string, unknown>;
    for (const p of NUMBER_PATHS) set(next, p, texts[p]!.trim() === '' ? NaN : Number(texts[p]));
    const checked = EngineSettingsSchema.safeParse(next);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.join('.'), i.code === 'too_small' ? '数值太小。' : i.code === 'too_big' ? '数值太大。' : '请填写有效的数值。'])));
      setError('请先修改标出的设置。');
      return;
    }
    setErrors({});
    setError('');
    setBusy(true);
    try {
      show(await api<Settings>('PUT', '/api/admin/engine/settings', checked.data));
      setNotice('已保存。所有医生的标签和兴趣将按新设置重新计算。');
    } catch (err) {
      if (err instanceof ApiError && err.details) setErrors(Object.fromEntries(err.details.map((d) => [d.path, d.message])));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const num = (path: string, label: string, step = 'any') => (
    <label key={path}>
      {label}
      <input name={path} type="number" step={step} value={texts[path] ?? ''} onChange={(e) => setTexts({ ...texts, [path]: e.target.value })} />
      <FieldError text={errors[path]} />
    </label>
  );
  const pick = <T extends string>(label: string, all: readonly T[], chosen: T[], put: (v: T[]) => void, name: string) => (
    <div className="field">
      <span>{label}</span>
      <Chips options={all.map((v) => [v, v] as const)} value={chosen} onChange={put} name={name} />
      <FieldError text={errors[name] && (name.endsWith('titles') ? '请至少选择一个职称。' : errors[name])} />
    </div>
  );

  return (
    <form className="editorform" onSubmit={save} noValidate>
      <div className="pagehead">
        <h2>标签引擎设置</h2>
      </div>
      {!admin && <p className="muted">只有管理员可以修改设置。</p>}
      {notice && <div className="callout ok">{notice}</div>}
      <fieldset disabled={!admin || busy}>
        <div className="card">
          <h3>兴趣</h3>
          <div className="row">
            {num('halfLifeDays', '兴趣半衰期（天）')}
            {num('affinityScale', '兴趣刻度（得分达 0.63 所需的点数）')}
          </div>
        </div>
        <div className="card">
          <h3>行为权重（兴趣点数）</h3>
          <div className="grid3">{(Object.keys(WEIGHT_TEXT) as (keyof Settings['weights'])[]).map((k) => num(`weights.${k}`, WEIGHT_TEXT[k]))}</div>
        </div>
        <div className="card">
          <h3>深度阅读与活跃度</h3>
          <div className="grid3">
            {num('deepRead.dwellSeconds', '深度阅读停留（秒）')}
            {num('deepRead.scrollDepth', '深度阅读进度（0–1）')}
            {num('engagement.windowDays', '活跃度统计窗口（天）', '1')}
            {num('engagement.medium', '活跃度“中”的有效互动数', '1')}
            {num('engagement.high', '活跃度“高”的有效互动数', '1')}
          </div>
        </div>
        <div className="card">
          <h3>生命周期</h3>
          <div className="grid3">
            {num('lifecycle.engagedActions', '成为“活跃”的有效互动数', '1')}
            {num('lifecycle.advocateReferrals', '成为“推荐者”的带来同行数', '1')}
            {num('lifecycle.dormantDays', '无互动多少天后“沉睡”', '1')}
          </div>
        </div>
        <div className="card">
          <h3>KOL 规则</h3>
          {pick('职称', TITLES, s.kol.titles, (v) => setS({ ...s, kol: { ...s.kol, titles: v } }), 'kol.titles')}
          {pick('医院等级（或有学术任职）', HOSPITAL_LEVELS, s.kol.hospitalLevels, (v) => setS({ ...s, kol: { ...s.kol, hospitalLevels: v } }), 'kol.hospitalLevels')}
        </div>
        <div className="card">
          <h3>KOC 规则</h3>
          {pick('职称', TITLES, s.koc.titles, (v) => setS({ ...s, koc: { ...s.koc, titles: v } }), 'koc.titles')}
          <label>
            活跃度至少
            <select name="koc.engagement" value={s.koc.engagement} onChange={(e) => setS({ ...s, koc: { ...s.koc, engagement: e.target.value as '中' | '高' } })}>
              <option value="中">中</option>
              <option value="高">高</option>
            </select>
          </label>
          <div className="row">
            {num('koc.minAcceptedCases', '且病例被采纳至少', '1')}
            {num('koc.minReferred', '或带来同行至少', '1')}
          </div>
        </div>
      </fieldset>
      <FormError text={error} />
      {admin && (
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            保存设置
          </button>
        </div>
      )}
    </form>
  );
}

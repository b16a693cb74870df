/**
 * Case-collection campaigns (marketing writes; medical, compliance and admin read): the list with
 * each campaign's submissions by status, and the editor with its form builder: fields of seven
 * kinds, each with its own settings, in the order doctors see them. Checked with the shared
 * CampaignInput schema before it is sent; editing the form of a campaign makes a new form version
 * (submissions keep the version they answered).
 */
import {
  CampaignInput,
  CASE_FIELD_TYPES,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  MAX_CASE_IMAGES_PER_FIELD,
  type CampaignCard,
  type CampaignState,
  type CaseField,
  type CaseFieldType,
  type CaseStatus,
  type Role,
  type Topic,
} from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api.js';
import { go } from '../App.js';
import { ListStatus, MoreButton, usePagedList } from '../lists.js';
import { Decide } from '../Decide.js';
import { AudiencePicker, FieldError, FormError, TopicChips, useSegments } from '../fields.js';
import { errorText, fromBeijingLocal, timeText, toBeijingLocal } from '../labels.js';

/** A campaign as staff see it (the server's StaffCampaign): the doctors' card and more. */
interface StaffCampaign extends CampaignCard {
  archived: boolean;
  segmentIds: string[];
  maxPerDoctor: number;
  formVersion: number;
  submissions: Partial<Record<CaseStatus, number>>;
  form?: { fields: CaseField[] };
}

const STATE_TEXT: Record<CampaignState, string> = { upcoming: '未开始', open: '征集中', closed: '已结束' };
const TYPE_TEXT: Record<CaseFieldType, string> = { short_text: '单行文字', long_text: '多行文字', number: '数字', single_choice: '单选', multi_choice: '多选', month: '年月', images: '图片' };

export function CampaignList({ role }: { role: Role }) {
  const { items, next, error, load } = usePagedList<StaffCampaign>((cursor) => `/api/admin/cases/campaigns${query({ cursor, limit: 50 })}`);
  return (
    <section>
      <div className="pagehead">
        <h2>病例征集</h2>
        {role === 'marketing' && (
          <a className="button primary" href="#/campaigns/new">
            新建征集
          </a>
        )}
      </div>
      <ListStatus items={items} error={error} retry={() => void load()} empty="还没有病例征集活动。" />
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>活动</th>
              <th>状态</th>
              <th>征集时间</th>
              {CASE_STATUSES.map((s) => (
                <th key={s}>{CASE_STATUS_LABELS[s]}</th>
              ))}
              <th>表单版本</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} onClick={() => go(`/campaigns/${c.id}`)}>
                <td>
                  <a href={`#/campaigns/${c.id}`}>{c.title}</a>
                </td>
                <td>{c.archived ? '已归档' : STATE_TEXT[c.state]}</td>
                <td>
                  {timeText(c.opensAt)} – {timeText(c.closesAt)}
                </td>
                {CASE_STATUSES.map((s) => (
                  <td key={s}>{c.submissions[s] ?? 0}</td>
                ))}
                <td>v{c.formVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton next={next} load={load} />
    </section>
  );
}

/** A field being edited: every kind's settings kept, so switching kinds loses nothing typed. */
interface Draft {
  key: string;
  label: string;
  type: CaseFieldType;
  required: boolean;
  help: string;
  maxLength: string;
  unit: string;
  min: string;
  max: string;
  integer: boolean;
  options: string;
  maxSelected: string;
  maxCount: string;
}

const blank = (n: number): Draft => ({ key: `field_${n}`, label: '', type: 'short_text', required: false, help: '', maxLength: '', unit: '', min: '', max: '', integer: false, options: '', maxSelected: '', maxCount: '' });

/** The first n with no field_n among the fields (keys must not repeat). */
function freeNumber(fields: Draft[]): number {
  let n = 1;
  while (fields.some((f) => f.key === `field_${n}`)) n++;
  return n;
}

function toDraft(f: CaseField): Draft {
  const d = { ...blank(0), key: f.key, label: f.label, type: f.type, required: f.required, help: f.help ?? '' };
  if (f.type === 'short_text' || f.type === 'long_text') d.maxLength = String(f.maxLength);
  if (f.type === 'number') Object.assign(d, { unit: f.unit ?? '', min: f.min?.toString() ?? '', max: f.max?.toString() ?? '', integer: f.integer });
  if (f.type === 'single_choice' || f.type === 'multi_choice') d.options = f.options.join('\n');
  if (f.type === 'multi_choice' && f.maxSelected) d.maxSelected = String(f.maxSelected);
  if (f.type === 'images') d.maxCount = String(f.maxCount);
  return d;
}

/** The field as the API takes it (empty settings left out, so the schema's defaults apply). */
function fromDraft(d: Draft): Record<string, unknown> {
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
  const out: Record<string, unknown> = { key: d.key.trim(), label: d.label, type: d.type, required: d.required, ...(d.help.trim() && { help: d.help }) };
  if (d.type === 'short_text' || d.type === 'long_text') out.maxLength = num(d.maxLength);
  if (d.type === 'number') Object.assign(out, { unit: d.unit.trim() || undefined, min: num(d.min), max: num(d.max), integer: d.integer });
  if (d.type === 'single_choice' || d.type === 'multi_choice') out.options = d.options.split('\n').map((o) => o.trim()).filter(Boolean);
  if (d.type === 'multi_choice') out.maxSelected = num(d.maxSelected);
  if (d.type === 'images') out.maxCount = num(d.maxCount);
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

const FIELD_MESSAGES: [RegExp, string][] = [
  [/label is required/, '请填写字段名称。'],
  [/^key/, '字段键只能用小写字母、数字和下划线，以字母开头。'],
  [/is used twice/, '字段键重复。'],
  [/give 2 to 20 options/, '请给出 2–20 个选项，每行一个。'],
  [/options must not repeat/, '选项不能重复。'],
  [/min must not exceed max/, '最小值不能大于最大值。'],
];

export function CampaignEditor({ role, id }: { role: Role; id?: string }) {
  const [c, setC] = useState<StaffCampaign | null>(null);
  const [f, setF] = useState({ title: '', description: '', topics: [] as Topic[], opensAt: '', closesAt: '', maxPerDoctor: '5', everyone: true, segmentIds: [] as string[] });
  const [fields, setFields] = useState<Draft[]>([{ ...blank(1), label: '年龄', type: 'number', unit: '岁', min: '0', max: '120', integer: true, required: true }]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState(!id);
  const segments = useSegments();

  async function load() {
    if (!id) return;
    try {
      const got = await api<StaffCampaign>('GET', `/api/admin/cases/campaigns/${id}`);
      setC(got);
      setF({ title: got.title, description: got.description, topics: got.topics, opensAt: toBeijingLocal(got.opensAt), closesAt: toBeijingLocal(got.closesAt), maxPerDoctor: String(got.maxPerDoctor), everyone: got.segmentIds.length === 0, segmentIds: got.segmentIds });
      setFields((got.form?.fields ?? []).map(toDraft));
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    const payload = {
      title: f.title,
      description: f.description,
      topics: f.topics,
      opensAt: f.opensAt ? fromBeijingLocal(f.opensAt) : '',
      closesAt: f.closesAt ? fromBeijingLocal(f.closesAt) : '',
      segmentIds: f.everyone ? [] : f.segmentIds,
      maxPerDoctor: Number(f.maxPerDoctor),
      form: { fields: fields.map(fromDraft) },
    };
    const checked = CampaignInput.safeParse(payload);
    if (!checked.success) {
      const next: Record<string, string> = {};
      for (const i of checked.error.issues) {
        const p = i.path.map(String);
        const where = p[0] === 'form' && p[2] !== undefined ? `field.${p[2]}` : p[0] === 'form' ? 'fields' : p[0]!;
        next[where] ??= FIELD_MESSAGES.find(([re]) => re.test(i.message))?.[1] ?? (where === 'opensAt' || where === 'closesAt' ? (i.message.includes('after') ? '结束时间须晚于开始时间。' : '请选择时间。') : where === 'topics' ? '请选择 1–5 个主题。' : where === 'title' ? '请填写活动名称。' : i.message);
      }
      setErrors(next);
      setError('请先修改标出的地方。');
      return;
    }
    setErrors({});
    setError('');
    try {
      const saved = await api<{ id: string }>(id ? 'PUT' : 'POST', id ? `/api/admin/cases/campaigns/${id}` : '/api/admin/cases/campaigns', checked.data);
      if (id) {
        setNotice('已保存。');
        setEditing(false);
        await load();
      } else go(`/campaigns/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.details) setErrors(Object.fromEntries(err.details.map((d) => [d.path.split('.')[0]!, d.message])));
      setError(errorText(err));
    }
  }

  if (id && !c) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;
  const writer = role === 'marketing' && !c?.archived;
  const setField = (i: number, d: Partial<Draft>) => setFields(fields.map((x, j) => (j === i ? { ...x, ...d } : x)));
  const move = (i: number, by: number) => {
    const next = [...fields];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    setFields(next);
  };
  const fieldError = (k: string) => <FieldError text={errors[k]} />;
  return (
    <form className="editorform" onSubmit={save} noValidate>
      <div className="pagehead">
        <h2>{c ? c.title : '新建病例征集'}</h2>
        <a href="#/campaigns">返回列表</a>
      </div>
      {c && (
        <p className="muted">
          {c.archived ? '已归档' : STATE_TEXT[c.state]} · 表单 v{c.formVersion} · {CASE_STATUSES.map((s) => `${CASE_STATUS_LABELS[s]} ${c.submissions[s] ?? 0}`).join(' · ')}
        </p>
      )}
      {notice && <div className="callout ok">{notice}</div>}
      {c && writer && !editing && (
        <Decide
          leading={<button type="button" onClick={() => (setEditing(true), setNotice(''))}>编辑</button>}
          choices={[
            ...(c.state !== 'closed' ? [{ key: 'close' as const, label: '提前结束', tone: 'danger' as const, confirm: '现在结束征集？医生将不能再提交病例。' }] : []),
            { key: 'archive' as const, label: '归档', tone: 'danger' as const, confirm: '归档后活动不再显示给医生，也不能再修改。' },
          ]}
          onDecide={async (k) => {
            await api('POST', `/api/admin/cases/campaigns/${id}/${k}`, {});
            setNotice(k === 'close' ? '征集已结束。' : '活动已归档。');
            await load();
          }}
        />
      )}
      <fieldset disabled={!writer || !editing}>
        <label>
          活动名称
          <input name="title" maxLength={100} value={f.title} onChange={(e) => setF({ ...f, title: e.target.value })} />
          {fieldError('title')}
        </label>
        <label>
          活动说明
          <textarea name="description" maxLength={2000} rows={3} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
        </label>
        <TopicChips label="主题（1–5 个）" value={f.topics} onChange={(v) => setF({ ...f, topics: v })} error={fieldError('topics')} />
        <div className="row">
          <label>
            开始（北京时间）
            <input name="opensAt" type="datetime-local" value={f.opensAt} onChange={(e) => setF({ ...f, opensAt: e.target.value })} />
            {fieldError('opensAt')}
          </label>
          <label>
            结束（北京时间）
            <input name="closesAt" type="datetime-local" value={f.closesAt} onChange={(e) => setF({ ...f, closesAt: e.target.value })} />
            {fieldError('closesAt')}
          </label>
          <label>
            每位医生最多提交
            <input name="maxPerDoctor" type="number" min={1} max={50} value={f.maxPerDoctor} onChange={(e) => setF({ ...f, maxPerDoctor: e.target.value })} />
            {fieldError('maxPerDoctor')}
          </label>
        </div>
        <AudiencePicker everyone={f.everyone} segmentIds={f.segmentIds} segments={segments} onChange={(a) => setF({ ...f, ...a })} />
        <div className="field">
          <span>病例表单</span>
          {fieldError('fields')}
          {fields.map((d, i) => (
            <div key={i} className="card formfield" data-field={i}>
              <div className="row">
                <label>
                  字段名称
                  <input aria-label={`字段 ${i + 1} 名称`} maxLength={40} value={d.label} onChange={(e) => setField(i, { label: e.target.value })} />
                </label>
                <label>
                  类型
                  <select aria-label={`字段 ${i + 1} 类型`} value={d.type} onChange={(e) => setField(i, { type: e.target.value as CaseFieldType })}>
                    {CASE_FIELD_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {TYPE_TEXT[t]}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  字段键
                  <input aria-label={`字段 ${i + 1} 键`} className="mono" maxLength={32} value={d.key} onChange={(e) => setField(i, { key: e.target.value })} />
                </label>
              </div>
              <div className="row">
                <label className="inline">
                  <input type="checkbox" checked={d.required} onChange={(e) => setField(i, { required: e.target.checked })} />
                  必填
                </label>
                <label>
                  填写提示（可选）
                  <input aria-label={`字段 ${i + 1} 提示`} maxLength={200} value={d.help} onChange={(e) => setField(i, { help: e.target.value })} />
                </label>
              </div>
              {(d.type === 'short_text' || d.type === 'long_text') && (
                <label>
                  最多字数（留空为 {d.type === 'short_text' ? 100 : 2000}）
                  <input type="number" min={1} value={d.maxLength} onChange={(e) => setField(i, { maxLength: e.target.value })} />
                </label>
              )}
              {d.type === 'number' && (
                <div className="row">
                  <label>
                    单位
                    <input aria-label={`字段 ${i + 1} 单位`} maxLength={16} value={d.unit} onChange={(e) => setField(i, { unit: e.target.value })} />
                  </label>
                  <label>
                    最小值
                    <input type="number" value={d.min} onChange={(e) => setField(i, { min: e.target.value })} />
                  </label>
                  <label>
                    最大值
                    <input type="number" value={d.max} onChange={(e) => setField(i, { max: e.target.value })} />
                  </label>
                  <label className="inline">
                    <input type="checkbox" checked={d.integer} onChange={(e) => setField(i, { integer: e.target.checked })} />
                    整数
                  </label>
                </div>
              )}
              {(d.type === 'single_choice' || d.type === 'multi_choice') && (
                <div className="row">
                  <label>
                    选项（每行一个）
                    <textarea aria-label={`字段 ${i + 1} 选项`} rows={4} value={d.options} onChange={(e) => setField(i, { options: e.target.value })} />
                  </label>
                  {d.type === 'multi_choice' && (
                    <label>
                      最多选几项（可选）
                      <input type="number" min={1} max={20} value={d.maxSelected} onChange={(e) => setField(i, { maxSelected: e.target.value })} />
                    </label>
                  )}
                </div>
              )}
              {d.type === 'images' && (
                <label>
                  最多图片数（1–{MAX_CASE_IMAGES_PER_FIELD}，留空为 3）
                  <input type="number" min={1} max={MAX_CASE_IMAGES_PER_FIELD} value={d.maxCount} onChange={(e) => setField(i, { maxCount: e.target.value })} />
                </label>
              )}
              {fieldError(`field.${i}`)}
              <div className="actions">
                <button type="button" disabled={i === 0} onClick={() => move(i, -1)}>
                  上移
                </button>
                <button type="button" disabled={i === fields.length - 1} onClick={() => move(i, 1)}>
                  下移
                </button>
                <button type="button" disabled={fields.length === 1} onClick={() => setFields(fields.filter((_, j) => j !== i))}>
                  删除字段
                </button>
              </div>
            </div>
          ))}
          <button type="button" className="add" onClick={() => setFields([...fields, blank(freeNumber(fields))])}>
            添加字段
          </button>
        </div>
      </fieldset>
      <FormError text={error} />
      {writer && editing && (
        <div className="actions">
          <button type="submit" className="primary">
            {id ? '保存修改' : '创建征集'}
          </button>
          {id && (
            <button type="button" onClick={() => (setEditing(false), setErrors({}), setError(''), void load())}>
              放弃修改
            </button>
          )}
        </div>
      )}
    </form>
  );
}

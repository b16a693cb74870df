/**
 * Writing and editing content (marketing): the whole item in one form, checked with the same
 * schema the server uses (shared ContentCreateInput) before it is sent, then by the server, whose
 * field errors are shown beside their fields. Editing a published item makes a new draft version;
 * doctors keep the live one until the new one is approved and published.
 */
import { ContentCreateInput, MAX_UPLOAD_BYTES, type ContentAdminView, type ContentType, type Topic, type UploadResponse } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Session } from '../api.js';
import { go } from '../App.js';
import { BodyEditor } from '../BodyEditor.js';
import { AudiencePicker, FieldError, FormError, TopicChips, useSegments } from '../fields.js';
import { errorText, fromBeijingLocal, toBeijingLocal } from '../labels.js';

interface Form {
  type: ContentType;
  title: string;
  summary: string;
  cover: string;
  body: string;
  videoUrl: string;
  topics: Topic[];
  rxOnly: boolean;
  priority: number;
  publishAt: string;
  expireAt: string;
  everyone: boolean;
  segmentIds: string[];
}

const EMPTY: Form = { type: 'article', title: '', summary: '', cover: '', body: '', videoUrl: '', topics: [], rxOnly: false, priority: 50, publishAt: '', expireAt: '', everyone: true, segmentIds: [] };

const toLocal = toBeijingLocal;
const fromLocal = (v: string) => (v ? fromBeijingLocal(v) : undefined);

export function ContentEditor({ session, id }: { session: Session; id?: string }) {
  const [form, setForm] = useState<Form | null>(id ? null : EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const segments = useSegments((err) => setError(`受众分群加载失败：${errorText(err)}`));

  useEffect(() => {
    if (!id) return;
    api<ContentAdminView>('GET', `/api/admin/content/${id}`)
      .then((view) => {
        const v = view.versions.find((x) => x.version === view.version) ?? view.versions[0]!;
        setForm({
          type: view.type,
          title: v.title,
          summary: v.summary ?? '',
          cover: v.cover ?? '',
          body: v.body ?? '',
          videoUrl: v.videoUrl ?? '',
          topics: v.topics,
          rxOnly: v.rxOnly,
          priority: v.priority,
          publishAt: toLocal(v.publishAt),
          expireAt: toLocal(v.expireAt),
          everyone: v.audience.everyone,
          segmentIds: v.audience.segmentIds,
        });
      })
      .catch((err) => setError(errorText(err)));
  }, [id]);

  if (session.user.role !== 'marketing') return <p className="error">只有市场部可以撰写和修改内容。</p>;
  if (!form) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;
  const f = form;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...f, [k]: v });

  async function upload(file: File): Promise<string> {
    setError('');
    if (file.size > MAX_UPLOAD_BYTES) {
      setError('图片不能超过 5 MB。');
      throw new Error('too large');
    }
    setUploading(true);
    try {
      return (await api<UploadResponse>('POST', '/api/admin/uploads', undefined, file)).url;
    } catch (err) {
      setError(`图片上传失败：${errorText(err)}`);
      throw err;
    } finally {
      setUploading(false);
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const payload = {
      type: f.type,
      title: f.title,
      ...(f.summary.trim() && { summary: f.summary }),
      ...(f.cover.trim() && { cover: f.cover.trim() }),
      ...(f.type === 'article' && { body: f.body }),
      ...(f.type === 'video' && f.videoUrl.trim() && { videoUrl: f.videoUrl.trim() }),
      ...(f.type === 'video' && f.body && { body: f.body }),
      topics: f.topics,
      rxOnly: f.rxOnly,
      priority: f.priority,
      ...(f.publishAt && { publishAt: fromLocal(f.publishAt) }),
      ...(f.expireAt && { expireAt: fromLocal(f.expireAt) }),
      segmentIds: f.everyone ? [] : f.segmentIds,
    };
    const checked = ContentCreateInput.safeParse(payload);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [String(i.path[0] ?? ''), fieldText(String(i.path[0] ?? ''), i.message)])));
      setError('请先修改标出的字段。');
      return;
    }
    if (!f.everyone && f.segmentIds.length === 0) {
      setErrors({ segmentIds: '请至少选择一个分群，或选择“全部医生”。' });
      return;
    }
    setErrors({});
    setError('');
    setBusy(true);
    try {
      const res = id ? await api<{ id: string }>('PUT', `/api/admin/content/${id}`, payload) : await api<{ id: string }>('POST', '/api/admin/content', payload);
      go(`/content/${res.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.details) setErrors(Object.fromEntries(err.details.map((d) => [d.path.split('.')[0]!, fieldText(d.path.split('.')[0]!, d.message)])));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (k: string) => <FieldError text={errors[k]} />;

  return (
    <form className="editorform" onSubmit={save} noValidate>
      <div className="pagehead">
        <h2>{id ? '修改内容' : '新建内容'}</h2>
        <a href={id ? `#/content/${id}` : '#/content'}>取消</a>
      </div>
      {id && <p className="muted">保存后成为草稿，需要重新提交审核；已发布的版本在新版本发布前对医生保持不变。</p>}
      <fieldset disabled={busy}>
        <label>
          类型
          <select name="type" value={f.type} disabled={!!id} onChange={(e) => set('type', e.target.value as ContentType)}>
            <option value="article">文章</option>
            <option value="video">视频</option>
          </select>
        </label>
        <label>
          标题
          <input name="title" maxLength={100} value={f.title} onChange={(e) => set('title', e.target.value)} />
          {fieldError('title')}
        </label>
        <label>
          摘要
          <textarea name="summary" maxLength={300} rows={2} value={f.summary} onChange={(e) => set('summary', e.target.value)} />
          {fieldError('summary')}
        </label>
        <div className="field">
          <span>封面</span>
          <div className="coverrow">
            {f.cover && <img className="thumb" src={f.cover} alt="封面预览" />}
            <input name="cover" placeholder="上传图片，或填写 https:// 图片地址" value={f.cover} onChange={(e) => set('cover', e.target.value)} />
            <label className="button">
              {uploading ? '上传中…' : '上传封面'}
              <input type="file" accept="image/png,image/jpeg" hidden aria-label="上传封面" onChange={(e) => void upload(e.target.files![0]!).then((url) => set('cover', url), () => undefined)} />
            </label>
          </div>
          {fieldError('cover')}
        </div>
        {f.type === 'video' && (
          <label>
            视频地址
            <input name="videoUrl" placeholder="https://…" value={f.videoUrl} onChange={(e) => set('videoUrl', e.target.value)} />
            {fieldError('videoUrl')}
          </label>
        )}
        <div className="field">
          <span>{f.type === 'article' ? '正文' : '视频说明（可选）'}</span>
          <BodyEditor initial={f.body} onChange={(html) => setForm((cur) => (cur ? { ...cur, body: html } : cur))} upload={upload} />
          {fieldError('body')}
        </div>
        <TopicChips label="主题（1–5 个）" value={f.topics} onChange={(v) => set('topics', v)} error={fieldError('topics')} />
        <label className="inline">
          <input type="checkbox" name="rxOnly" checked={f.rxOnly} onChange={(e) => set('rxOnly', e.target.checked)} />
          处方药资料（仅认证医生可见，并显示「本资料仅供医学药学专业人士阅读」）
        </label>
        <label>
          优先级（0–100）
          <input name="priority" type="number" min={0} max={100} step={1} value={f.priority} onChange={(e) => set('priority', e.target.value === '' ? 0 : Number(e.target.value))} />
          {fieldError('priority')}
        </label>
        <div className="row">
          <label>
            发布时间（北京时间，留空则发布即上线）
            <input name="publishAt" type="datetime-local" value={f.publishAt} onChange={(e) => set('publishAt', e.target.value)} />
            {fieldError('publishAt')}
          </label>
          <label>
            过期时间（北京时间，可选）
            <input name="expireAt" type="datetime-local" value={f.expireAt} onChange={(e) => set('expireAt', e.target.value)} />
            {fieldError('expireAt')}
          </label>
        </div>
        <AudiencePicker
          everyone={f.everyone}
          segmentIds={f.segmentIds}
          segments={segments}
          onChange={(a) => setForm({ ...f, ...a })}
          none="还没有分群，请先在分群规则中创建。"
          error={fieldError('segmentIds')}
        />
      </fieldset>
      <FormError text={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || uploading}>
          {busy ? '保存中…' : '保存草稿'}
        </button>
      </div>
    </form>
  );
}

/** The schema's English messages as staff read them, by field. */
function fieldText(field: string, message: string): string {
  const known: Record<string, string> = {
    title: '请填写标题（100 字以内）。',
    summary: '摘要不能超过 300 字。',
    cover: '封面须为上传的图片或 http(s) 图片地址。',
    videoUrl: '视频须填写 http(s) 地址。',
    topics: '请选择 1–5 个主题。',
    priority: '优先级须为 0–100 的整数。',
    publishAt: '发布时间格式不正确。',
    segmentIds: '请检查所选分群。',
  };
  if (field === 'body') return message.includes('needs a body') ? '文章需要正文。' : '正文过长。';
  if (field === 'expireAt') return message.includes('after') ? '过期时间必须晚于发布时间。' : '过期时间格式不正确。';
  return known[field] ?? message;
}

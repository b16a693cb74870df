/**
 * Live streams for marketing: a new application (the same LiveApplyInput schema the server uses,
 * checked before it is sent; it then goes through the department and compliance approvals like a
 * rep's), and a stream's attendance report with its CSV export.
 */
import { LiveApplyInput, type LiveReport, type Topic } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, download } from '../api.js';
import { AudiencePicker, FieldError, FormError, TopicChips, useSegments } from '../fields.js';
import { go } from '../App.js';
import { errorText, fromBeijingLocal, timeText } from '../labels.js';

interface Speaker {
  name: string;
  hospital: string;
  title: string;
}

export function LiveForm() {
  const [f, setF] = useState({ title: '', description: '', topics: [] as Topic[], startAt: '', endAt: '', rxOnly: false, expectedAttendance: '', everyone: true, segmentIds: [] as string[] });
  const [speakers, setSpeakers] = useState<Speaker[]>([{ name: '', hospital: '', title: '' }]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const segments = useSegments((err) => setError(`受众分群加载失败：${errorText(err)}`));

  async function save(e: FormEvent) {
    e.preventDefault();
    const payload = {
      title: f.title,
      ...(f.description.trim() && { description: f.description }),
      topics: f.topics,
      speakers,
      startAt: f.startAt ? fromBeijingLocal(f.startAt) : '',
      endAt: f.endAt ? fromBeijingLocal(f.endAt) : '',
      rxOnly: f.rxOnly,
      ...(f.expectedAttendance !== '' && { expectedAttendance: Number(f.expectedAttendance) }),
      segmentIds: f.everyone ? [] : f.segmentIds,
    };
    // The schema's own messages are Chinese (they are the rep pages' too); times get ours.
    const checked = LiveApplyInput.safeParse(payload);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [String(i.path[0]), i.path[0] === 'startAt' || (i.path[0] === 'endAt' && !payload.endAt) ? '请选择时间。' : i.message])));
      setError('请先修改标出的字段。');
      return;
    }
    if (!f.everyone && f.segmentIds.length === 0) return setErrors({ segmentIds: '请至少选择一个分群，或选择“全部医生”。' });
    setErrors({});
    setError('');
    setBusy(true);
    try {
      await api('POST', '/api/admin/lives', checked.data);
      go('/lives?status=applied&created=1');
    } catch (err) {
      if (err instanceof ApiError && err.details) setErrors(Object.fromEntries(err.details.map((d) => [d.path.split('.')[0]!, d.message])));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof typeof f, v: unknown) => setF({ ...f, [k]: v });
  const fieldError = (k: string) => <FieldError text={errors[k]} />;
  return (
    <form className="editorform" onSubmit={save} noValidate>
      <div className="pagehead">
        <h2>新建直播</h2>
        <a href="#/lives">取消</a>
      </div>
      <p className="muted">提交后依次经部门经理和合规审批，批准后自动生成推流与播放地址。</p>
      <fieldset disabled={busy}>
        <label>
          主题
          <input name="title" maxLength={60} value={f.title} onChange={(e) => set('title', e.target.value)} />
          {fieldError('title')}
        </label>
        <label>
          简介
          <textarea name="description" maxLength={2000} rows={3} value={f.description} onChange={(e) => set('description', e.target.value)} />
          {fieldError('description')}
        </label>
        <TopicChips label="话题（1–5 个）" value={f.topics} onChange={(v) => set('topics', v)} error={fieldError('topics')} />
        <div className="field">
          <span>讲者</span>
          {speakers.map((s, i) => (
            <div key={i} className="row speaker">
              <input aria-label={`讲者 ${i + 1} 姓名`} placeholder="姓名" value={s.name} onChange={(e) => setSpeakers(speakers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
              <input aria-label={`讲者 ${i + 1} 医院`} placeholder="医院" value={s.hospital} onChange={(e) => setSpeakers(speakers.map((x, j) => (j === i ? { ...x, hospital: e.target.value } : x)))} />
              <input aria-label={`讲者 ${i + 1} 职称`} placeholder="职称" value={s.title} onChange={(e) => setSpeakers(speakers.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))} />
              {speakers.length > 1 && (
                <button type="button" onClick={() => setSpeakers(speakers.filter((_, j) => j !== i))}>
                  删除
                </button>
              )}
            </div>
          ))}
          {speakers.length < 10 && (
            <button type="button" className="add" onClick={() => setSpeakers([...speakers, { name: '', hospital: '', title: '' }])}>
              添加讲者
            </button>
          )}
          {fieldError('speakers')}
        </div>
        <div className="row">
          <label>
            开始时间（北京时间）
            <input name="startAt" type="datetime-local" value={f.startAt} onChange={(e) => set('startAt', e.target.value)} />
            {fieldError('startAt')}
          </label>
          <label>
            结束时间（北京时间）
            <input name="endAt" type="datetime-local" value={f.endAt} onChange={(e) => set('endAt', e.target.value)} />
            {fieldError('endAt')}
          </label>
        </div>
        <label>
          预计人数（可选）
          <input name="expectedAttendance" type="number" min={1} value={f.expectedAttendance} onChange={(e) => set('expectedAttendance', e.target.value)} />
          {fieldError('expectedAttendance')}
        </label>
        <label className="inline">
          <input type="checkbox" name="rxOnly" checked={f.rxOnly} onChange={(e) => set('rxOnly', e.target.checked)} />
          涉及处方药（仅认证医生可报名观看）
        </label>
        <AudiencePicker everyone={f.everyone} segmentIds={f.segmentIds} segments={segments} onChange={(a) => setF({ ...f, ...a })} error={fieldError('segmentIds')} />
      </fieldset>
      <FormError text={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '提交中…' : '提交申请'}
        </button>
      </div>
    </form>
  );
}

const REMINDER_TEXT: Record<string, string> = { none: '未订阅', pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败' };
const VIA_TEXT: Record<string, string> = { poster: '海报', share: '分享', direct: '直接', none: '—' };

export function LiveReportView({ id }: { id: string }) {
  const [r, setR] = useState<LiveReport | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<LiveReport>('GET', `/api/admin/lives/${id}/report`).then(setR, (err) => setError(errorText(err)));
  }, []);
  if (!r) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;
  return (
    <section>
      <div className="pagehead">
        <h2>{r.title} · 直播报告</h2>
        <span>
          <button className="primary" onClick={() => void download(`/api/admin/lives/${id}/report.csv`, `live-${id}-report.csv`).catch((err) => setError(errorText(err)))}>
            导出 CSV
          </button>{' '}
          <a href="#/lives">返回</a>
        </span>
      </div>
      {error && <p className="error">{error}</p>}
      <p className="muted">
        {timeText(r.startAt)} – {timeText(r.endAt)}
      </p>
      <div className="stats">
        {(
          [
            ['报名', r.registrations],
            ['出席', r.attendees],
            ['观看分钟', r.attendanceMinutes],
            ['最高同时在线', r.peakConcurrentViewers],
            ['提醒已发送', r.remindersSent],
            ['提醒失败', r.remindersFailed],
          ] as const
        ).map(([label, v]) => (
          <div key={label} className="stat">
            <span className="v">{v}</span>
            <span className="muted">{label}</span>
          </div>
        ))}
      </div>
      {r.reps.length > 0 && (
        <div className="card">
          <h3>代表带来的报名</h3>
          <table className="list">
            <thead>
              <tr>
                <th>代表</th>
                <th>报名</th>
                <th>出席</th>
              </tr>
            </thead>
            <tbody>
              {r.reps.map((p) => (
                <tr key={p.repId}>
                  <td>{p.repName}</td>
                  <td>{p.registrations}</td>
                  <td>{p.attendees}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="card">
        <h3>医生明细</h3>
        {r.rows.length === 0 ? (
          <p className="muted">还没有医生报名或观看。</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th>医生</th>
                <th>医院</th>
                <th>科室</th>
                <th>报名时间</th>
                <th>提醒</th>
                <th>观看分钟</th>
                <th>回放次数</th>
                <th>来源</th>
                <th>代表</th>
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row) => (
                <tr key={row.hcpId}>
                  <td>{row.name ?? `医生 ${row.hcpId}`}</td>
                  <td>{row.hospital ?? '—'}</td>
                  <td>{row.department ?? '—'}</td>
                  <td>{timeText(row.registeredAt)}</td>
                  <td>{REMINDER_TEXT[row.reminder] ?? row.reminder}</td>
                  <td>{row.minutes}</td>
                  <td>{row.replayViews}</td>
                  <td>{VIA_TEXT[row.via]}</td>
                  <td>{row.repName ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

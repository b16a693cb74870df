/**
 * Live-stream approval (compliance): applications the department manager approved, with what
 * the stream is about, who speaks and who applied; approve (the stream is scheduled and gets its
 * push and play addresses) or reject with the reason the applicant sees. Other statuses are
 * listed for reference.
 */
import { LIVE_STATUS_LABELS, TOPICS, type LiveAdminListResponse, type LiveStaffView, type LiveStatus, type LiveTransitionResponse, type Role } from '@hcp360/shared';
import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { Decide, type Choice } from '../Decide.js';
import { errorText, timeText } from '../labels.js';

const TABS: [LiveStatus | '', string][] = [
  ['dept_approved', LIVE_STATUS_LABELS.dept_approved],
  ['applied', LIVE_STATUS_LABELS.applied],
  ['scheduled', LIVE_STATUS_LABELS.scheduled],
  ['', '全部'],
];

type Decision = 'compliance-approve' | 'reject';

export function Lives({ role }: { role: Role }) {
  const [status, setStatus] = useState<LiveStatus | ''>('dept_approved');
  const [items, setItems] = useState<LiveStaffView[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  async function load(s: LiveStatus | '') {
    setError('');
    try {
      setItems((await api<LiveAdminListResponse>('GET', `/api/admin/lives${query({ status: s, limit: 200 })}`)).items);
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => {
    setItems(null);
    void load(status);
  }, [status]);

  async function decide(l: LiveStaffView, action: Decision, comment: string | undefined) {
    const res = await api<LiveTransitionResponse>('POST', `/api/admin/lives/${l.id}/${action}`, comment ? { comment } : {});
    setNotice(`「${l.title}」${res.status === 'scheduled' ? '已批准并排期' : '已驳回'}。`);
    await load(status);
  }

  const choices = (l: LiveStaffView): Choice<Decision>[] =>
    role !== 'compliance'
      ? []
      : [
          ...(l.allowedActions.includes('compliance-approve')
            ? [{ key: 'compliance-approve' as const, label: '批准', tone: 'primary' as const, note: { label: '备注', required: false }, confirm: '批准后直播将排期，生成推流和播放地址，医生可以报名。' }]
            : []),
          ...(l.allowedActions.includes('reject') ? [{ key: 'reject' as const, label: '驳回', tone: 'danger' as const, note: { label: '驳回原因', required: true, missing: '驳回须填写原因，申请人将看到它。' }, confirm: '驳回这场直播申请？' }] : []),
        ];

  return (
    <section>
      <div className="pagehead">
        <h2>直播审批</h2>
      </div>
      <div className="tabs">
        {TABS.map(([s, label]) => (
          <button key={s || 'all'} className={s === status ? 'on' : ''} onClick={() => (setStatus(s), setNotice(''))}>
            {label}
          </button>
        ))}
      </div>
      {notice && <div className="callout ok">{notice}</div>}
      {error && (
        <p className="error" role="alert">
          {error} <button onClick={() => void load(status)}>重试</button>
        </p>
      )}
      {items === null && !error && <p className="muted">加载中…</p>}
      {items?.length === 0 && <p className="empty">{status === 'dept_approved' ? '没有等待合规审批的直播。' : '暂无直播。'}</p>}
      {items?.map((l) => (
        <div key={l.id} className="card review" data-live={l.id}>
          <h3>
            {l.title} <span className="status">{LIVE_STATUS_LABELS[l.status]}</span>
            {l.rxOnly && <span className="tag rx">处方药相关</span>}
          </h3>
          <dl className="facts">
            <dt>时间</dt>
            <dd>
              {timeText(l.startAt)} – {timeText(l.endAt)}
            </dd>
            <dt>主题</dt>
            <dd>{l.topics.map((t) => TOPICS[t]).join('、') || '—'}</dd>
            <dt>讲者</dt>
            <dd>{l.speakers.map((s) => `${s.name}（${s.hospital} ${s.title}）`).join('；')}</dd>
            <dt>申请人</dt>
            <dd>{l.applicant.name}</dd>
            <dt>预计人数</dt>
            <dd>{l.expectedAttendance ?? '—'}</dd>
            <dt>受众</dt>
            <dd>{l.segmentIds.length ? `分群 ${l.segmentIds.join('、')}` : '全部医生'}</dd>
            <dt>报名</dt>
            <dd>{l.registrations} 人</dd>
          </dl>
          {l.description && <p className="desc">{l.description}</p>}
          {l.reviews.length > 0 && (
            <ul className="reviews">
              {l.reviews.map((r, i) => (
                <li key={i}>
                  {r.step === 'dept' ? '部门审批' : '合规审批'}：{r.byName} {r.decision === 'approved' ? '批准' : '驳回'}（{timeText(r.at)}）{r.comment && `：“${r.comment}”`}
                </li>
              ))}
            </ul>
          )}
          <Decide choices={choices(l)} onDecide={(k, note) => decide(l, k, note)} />
        </div>
      ))}
    </section>
  );
}

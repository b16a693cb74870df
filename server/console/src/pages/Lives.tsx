/**
 * Live streams in the console. Compliance: applications the department manager approved, with
 * what the stream is about, who speaks and who applied; approve (the stream is scheduled and gets
 * its push and play addresses) or reject with the reason the applicant sees. Marketing: every
 * stream by status, new applications (LivePlanning.tsx), cancelling before the start, extending
 * or ending one that is live, attaching the replay, and each stream's report.
 */
import { LIVE_STATUS_LABELS, TOPICS, type LiveAdminListResponse, type LiveStaffView, type LiveStatus, type LiveTransitionResponse, type Role } from '@hcp360/shared';
import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { Decide, type Choice } from '../Decide.js';
import { ListStatus, Tabs } from '../lists.js';
import { errorText, timeText } from '../labels.js';

const REVIEW_TABS: (LiveStatus | '')[] = ['dept_approved', 'applied', 'scheduled', ''];
const MANAGER_TABS: (LiveStatus | '')[] = ['applied', 'dept_approved', 'scheduled', ''];
const PLANNING_TABS: (LiveStatus | '')[] = ['', 'applied', 'dept_approved', 'scheduled', 'live', 'ended', 'rejected', 'cancelled'];
const tabText = (s: LiveStatus | '') => (s ? LIVE_STATUS_LABELS[s] : '全部');

type Decision = 'dept-approve' | 'compliance-approve' | 'reject' | 'cancel' | 'extend' | 'end' | 'replay';

const DONE_TEXT: Record<Decision, string> = { 'dept-approve': '已批准，等待合规审批', 'compliance-approve': '已批准并排期', reject: '已驳回', cancel: '已取消，已报名的医生会收到通知', extend: '已延长', end: '已结束', replay: '已上传回放' };

export function Lives({ role, params }: { role: Role; params: URLSearchParams }) {
  const planner = role === 'marketing';
  const tabs = planner ? PLANNING_TABS : role === 'manager' ? MANAGER_TABS : REVIEW_TABS;
  const [status, setStatus] = useState<LiveStatus | ''>(() => {
    const asked = params.get('status') ?? tabs[0]!;
    return (tabs as string[]).includes(asked) ? (asked as LiveStatus | '') : tabs[0]!;
  });
  const [items, setItems] = useState<LiveStaffView[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(params.get('created') ? '直播申请已提交，等待部门经理审批。' : '');

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

  async function decide(l: LiveStaffView, action: Decision, value: string | undefined) {
    const body = action === 'extend' ? { endAt: value } : action === 'replay' ? { replayUrl: value } : value ? { comment: value } : {};
    await api<LiveTransitionResponse>('POST', `/api/admin/lives/${l.id}/${action}`, body);
    setNotice(`「${l.title}」${DONE_TEXT[action]}。`);
    await load(status);
  }

  const choices = (l: LiveStaffView): Choice<Decision>[] =>
    planner
      ? planningChoices(l)
      : role === 'manager'
      ? [
          ...(l.allowedActions.includes('dept-approve') ? [{ key: 'dept-approve' as const, label: '批准', tone: 'primary' as const, note: { label: '备注', required: false }, confirm: '批准后提交合规审批。' }] : []),
          ...(l.status === 'applied' && l.allowedActions.includes('reject') ? [{ key: 'reject' as const, label: '驳回', tone: 'danger' as const, note: { label: '驳回原因', required: true, missing: '驳回须填写原因，申请人将看到它。' }, confirm: '驳回这场直播申请？' }] : []),
        ]
      : role !== 'compliance'
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
        <h2>{planner ? '直播管理' : '直播审批'}</h2>
        {planner && (
          <a className="button primary" href="#/lives/new">
            新建直播
          </a>
        )}
      </div>
      <Tabs options={tabs.map((s) => [s, tabText(s)] as const)} value={status} onChange={(s) => (setStatus(s), setNotice(''))} />
      {notice && <div className="callout ok">{notice}</div>}
      <ListStatus items={items} error={error} retry={() => void load(status)} empty={status === 'dept_approved' ? '没有等待合规审批的直播。' : '暂无直播。'} />
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
          {l.replayUrl && <p className="muted">回放：{l.replayUrl}</p>}
          <Decide
            leading={planner && ['scheduled', 'live', 'ended'].includes(l.status) && <a className="button" href={`#/lives/${l.id}/report`}>报告</a>}
            choices={choices(l)}
            onDecide={(k, note) => decide(l, k, note)}
          />
        </div>
      ))}
    </section>
  );
}

/** Marketing's actions on a stream, as the server allows them now. */
function planningChoices(l: LiveStaffView): Choice<Decision>[] {
  const out: Choice<Decision>[] = [];
  if (l.allowedActions.includes('end')) out.push({ key: 'end', label: '结束直播', tone: 'danger', confirm: '现在结束直播？观众将看到直播已结束。' });
  if (l.allowedActions.includes('extend'))
    out.push({ key: 'extend', label: '延长', note: { label: '新的结束时间（北京时间）', required: true, kind: 'datetime', missing: '请选择新的结束时间。' }, confirm: '直播超时，延长到：' });
  if (l.allowedActions.includes('replay'))
    out.push({ key: 'replay', label: '上传回放', tone: 'primary', note: { label: '回放地址', required: true, kind: 'url', missing: '请填写回放地址（https://…）。' }, confirm: '填写回放视频地址，医生可在直播页观看回放。' });
  if (l.allowedActions.includes('cancel'))
    out.push({ key: 'cancel', label: '取消直播', tone: 'danger', note: { label: '取消说明', required: false }, confirm: '取消这场直播？已报名的医生会收到取消通知。' });
  return out;
}

/**
 * Case-submission review (medical, compliance): the queue by status, and one submission with its
 * campaign's form answered field by field (images shown through their short-lived signed URLs),
 * WeChat's content-security verdict and its author. Accept (with an optional note), ask for a
 * revision or reject: the doctor is told why.
 */
import { CASE_STATUS_LABELS, CASE_STATUSES, type CaseDecision, type CaseStatus, type SubmissionCard, type SubmissionView } from '@hcp360/shared';
import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { go } from '../App.js';
import { ListStatus, MoreButton, Tabs, usePagedList } from '../lists.js';
import { Decide, type Choice } from '../Decide.js';
import { errorText, timeText } from '../labels.js';

export function CaseQueue({ params }: { params: URLSearchParams }) {
  const status = (params.get('status') as CaseStatus | null) ?? 'under_review';
  const { items, next, error, load } = usePagedList<SubmissionCard>((cursor) => `/api/admin/cases/submissions${query({ status, cursor, limit: 20 })}`);

  return (
    <section>
      <div className="pagehead">
        <h2>病例审核</h2>
      </div>
      <Tabs options={CASE_STATUSES.map((s) => [s, CASE_STATUS_LABELS[s]] as const)} value={status} onChange={(s) => go(`/cases?status=${s}`)} />
      <ListStatus items={items} error={error} retry={() => void load()} empty={status === 'under_review' ? '没有等待审核的病例。' : '暂无病例。'} />
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>编号</th>
              <th>征集活动</th>
              <th>版本</th>
              <th>提交时间</th>
              <th>状态</th>
              <th>审核意见</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} onClick={() => go(`/cases/${c.id}`)}>
                <td>
                  <a href={`#/cases/${c.id}`}>#{c.id}</a>
                  {c.flagged && <span className="tag rx">内容安全待复核</span>}
                </td>
                <td>{c.campaignTitle}</td>
                <td>v{c.version}</td>
                <td>{timeText(c.submittedAt)}</td>
                <td>{CASE_STATUS_LABELS[c.status]}</td>
                <td>{c.reviewerNote ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton next={next} load={load} />
    </section>
  );
}

const DECISION_TEXT: Record<CaseDecision, string> = { accept: '采纳', 'request-revision': '退回修改', reject: '不采纳' };

const CHOICES: Choice<CaseDecision>[] = [
  { key: 'accept', label: DECISION_TEXT.accept, tone: 'primary', note: { label: '给医生的留言', required: false }, confirm: '采纳这份病例？' },
  { key: 'request-revision', label: DECISION_TEXT['request-revision'], note: { label: '需要修改的地方', required: true, missing: '请写明需要医生修改的地方。' }, confirm: '退回给医生修改？医生修改后会重新提交。' },
  { key: 'reject', label: DECISION_TEXT.reject, tone: 'danger', note: { label: '不采纳的原因', required: true, missing: '请写明不采纳的原因，医生将看到它。' }, confirm: '不采纳这份病例？' },
];

export function CaseDetail({ id }: { id: string }) {
  const [sub, setSub] = useState<SubmissionView | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  async function load() {
    try {
      setSub(await api<SubmissionView>('GET', `/api/admin/cases/submissions/${id}`));
      setError('');
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void load(), []);

  async function decide(decision: CaseDecision, note: string | undefined) {
    const res = await api<{ status: CaseStatus }>('POST', `/api/admin/cases/submissions/${id}/${decision}`, note ? { note } : {});
    setNotice(`已${DECISION_TEXT[decision]}：当前状态为「${CASE_STATUS_LABELS[res.status]}」。`);
    await load();
  }

  if (!sub) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;
  const sec = sub.review?.secCheck;
  return (
    <section>
      <div className="pagehead">
        <h2>
          病例 #{sub.id} <span className="status">{CASE_STATUS_LABELS[sub.status]}</span>
        </h2>
        <a href="#/cases">返回列表</a>
      </div>
      <p className="muted">
        {sub.campaignTitle} · v{sub.version} · 提交于 {timeText(sub.submittedAt)}
        {sub.review && ` · 作者 ${sub.review.author.name ?? `医生 ${sub.review.author.id}`}${sub.review.author.hospital ? `（${sub.review.author.hospital}）` : ''}`}
      </p>
      {sec && sec.suggest !== 'pass' && <div className="callout warn">微信内容安全检测建议人工复核（{sec.suggest}，标签 {sec.label}）。</div>}
      {notice && <div className="callout ok">{notice}</div>}
      {error && <p className="error">{error}</p>}
      {sub.status === 'under_review' && <Decide choices={CHOICES} onDecide={decide} />}
      <div className="columns">
        <div className="card">
          <dl className="answers">
            {sub.form.fields.map((f) => {
              const v = sub.answers[f.key];
              return (
                <div key={f.key} data-field={f.key}>
                  <dt>{f.label}</dt>
                  <dd>
                    {v === undefined || (Array.isArray(v) && v.length === 0) ? (
                      <span className="muted">未填写</span>
                    ) : f.type === 'images' && Array.isArray(v) ? (
                      <div className="images">
                        {v.map((name) => (sub.imageUrls[name] ? <img key={name} src={sub.imageUrls[name]} alt={f.label} /> : <span key={name}>{name}</span>))}
                      </div>
                    ) : Array.isArray(v) ? (
                      v.join('、')
                    ) : (
                      `${v}${f.type === 'number' && f.unit ? ` ${f.unit}` : ''}`
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
        </div>
        <aside className="card history">
          <h3>提交与审核记录</h3>
          <ol>
            {sub.versions.map((v) => (
              <li key={v.version}>
                <span className="when">{timeText(v.submittedAt)}</span>v{v.version} 提交
                {v.decision && v.decision !== 'under_review' && ` → ${CASE_STATUS_LABELS[v.decision]}（${timeText(v.decidedAt)}）`}
                {v.note && <div className="comment">“{v.note}”</div>}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </section>
  );
}

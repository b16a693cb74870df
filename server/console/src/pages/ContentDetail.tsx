/**
 * One content item: the newest version as doctors would read it (with the Rx notice), the
 * workflow actions the signed-in role may take now, every version with its review, and the
 * item's history from the audit log. Rejections need a comment; the author sees it here.
 */
import { RX_NOTICE, TOPICS, type ContentAction, type ContentAdminView, type ContentHistoryEntry, type ContentTransitionResponse, type ContentVersionView } from '@hcp360/shared';
import { useEffect, useState } from 'react';
import { api, type Session } from '../api.js';
import { go } from '../App.js';
import { ACTION_ROLES, ACTION_TEXT, errorText, HISTORY_TEXT, ROLE_TEXT, STATUS_TEXT, timeText } from '../labels.js';
import { Decide, type Choice } from '../Decide.js';
import { StatusBadge } from './ContentList.js';
import { FormError } from '../fields.js';

export function ContentDetail({ session, id }: { session: Session; id: string }) {
  const [item, setItem] = useState<ContentAdminView | null>(null);
  const [history, setHistory] = useState<ContentHistoryEntry[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [shown, setShown] = useState<number | null>(null);

  async function load() {
    try {
      const [view, hist] = await Promise.all([api<ContentAdminView>('GET', `/api/admin/content/${id}`), api<{ items: ContentHistoryEntry[] }>('GET', `/api/admin/content/${id}/history`)]);
      setItem(view);
      setHistory(hist.items);
      setError('');
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void load(), []);

  if (!item) {
    return error ? (
      <p className="error" role="alert">
        {error} <button onClick={() => void load()}>重试</button>
      </p>
    ) : (
      <p className="muted">加载中…</p>
    );
  }

  const role = session.user.role;
  const actions = item.allowedActions.filter((a) => ACTION_ROLES[a].includes(role));
  const newest = item.versions.find((v) => v.version === item.version) ?? item.versions[0]!;
  const version = item.versions.find((v) => v.version === shown) ?? newest;
  const rejection = newest.status === 'draft' ? [...history].reverse().find((h) => h.action === 'reject' && h.version === newest.version) : undefined;

  async function act(action: ContentAction, comment: string | undefined) {
    const res = await api<ContentTransitionResponse>('POST', `/api/admin/content/${id}/${action}`, comment ? { comment } : {});
    setNotice(`已${ACTION_TEXT[action]}：当前状态为「${STATUS_TEXT[res.status]}」。`);
    await load();
  }

  return (
    <section>
      <div className="pagehead">
        <h2>
          {newest.title} <StatusBadge status={item.status} />
        </h2>
        <a href="#/content">返回列表</a>
      </div>
      <p className="muted">
        {item.type === 'article' ? '文章' : '视频'} · 编号 {item.id} · 最新 v{item.version}
        {item.liveVersion !== null ? ` · 医生看到的是 v${item.liveVersion}` : ' · 尚未对医生发布'}
      </p>
      {rejection && (
        <div className="callout warn">
          <strong>驳回意见（{timeText(rejection.at)}）：</strong>
          {rejection.comment}
        </div>
      )}
      {notice && <div className="callout ok">{notice}</div>}
      <FormError text={error} />
      <Decide
        leading={actions.includes('edit') && <button onClick={() => go(`/content/${id}/edit`)}>{ACTION_TEXT.edit}</button>}
        choices={actions.filter((a): a is Exclude<ContentAction, 'edit'> => a !== 'edit').map((a) => choiceFor(a, newest))}
        onDecide={act}
      />
      <div className="columns">
        <article className="card preview">
          <div className="versionpick">
            {item.versions.map((v) => (
              <button key={v.version} className={v.version === version.version ? 'on' : ''} onClick={() => setShown(v.version)}>
                v{v.version} {STATUS_TEXT[v.status]}
              </button>
            ))}
          </div>
          <VersionFacts v={version} />
          {version.rxOnly && <p className="rxnotice">{RX_NOTICE}</p>}
          {version.cover && <img className="cover" src={version.cover} alt="封面" />}
          <h3>{version.title}</h3>
          {version.summary && <p className="summary">{version.summary}</p>}
          {version.videoUrl && <video className="video" src={version.videoUrl} controls preload="metadata" />}
          {/* Bodies are sanitised by the server's allow-list when saved: what is stored is what doctors get. */}
          {version.body && <div className="body" dangerouslySetInnerHTML={{ __html: version.body }} />}
        </article>
        <aside className="card history">
          <h3>审核与操作记录</h3>
          <ol>
            {history.map((h, i) => (
              <li key={i}>
                <span className="when">{timeText(h.at)}</span> {h.actor.id ? `${ROLE_TEXT[h.actor.role as keyof typeof ROLE_TEXT] ?? h.actor.role} #${h.actor.id}` : '系统'} {HISTORY_TEXT[h.action] ?? h.action}
                {h.version !== null && ` v${h.version}`}
                {h.to && ` → ${STATUS_TEXT[h.to]}`}
                {h.comment && <div className="comment">“{h.comment}”</div>}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </section>
  );
}

const NOTE = { label: '备注', required: false };

/** The workflow action as a decision: what it asks to confirm, and the note it takes. */
function choiceFor(action: Exclude<ContentAction, 'edit'>, v: ContentVersionView): Choice<Exclude<ContentAction, 'edit'>> {
  const label = ACTION_TEXT[action];
  switch (action) {
    case 'submit':
      return { key: action, label, tone: 'primary', note: NOTE, confirm: `提交 v${v.version} 给合规/医学审核？审核期间不能修改。` };
    case 'approve':
      return { key: action, label, tone: 'primary', note: NOTE, confirm: `批准 v${v.version}？批准后市场部可以发布。` };
    case 'reject':
      return {
        key: action,
        label,
        tone: 'danger',
        note: { label: '驳回意见', required: true, missing: '驳回时请填写驳回意见，作者将看到它。' },
        confirm: `驳回 v${v.version}？内容将退回草稿，作者会看到你的意见。`,
      };
    case 'publish':
      return {
        key: action,
        label,
        tone: 'primary',
        confirm: v.publishAt && Date.parse(v.publishAt) > Date.now() ? `发布 v${v.version}？将于 ${timeText(v.publishAt)} 对医生可见。` : `发布 v${v.version}？发布后立即对目标医生可见。`,
      };
    case 'archive':
      return { key: action, label, tone: 'danger', confirm: '归档后医生将看不到这条内容，且不能再发布。确定归档？' };
  }
}

function VersionFacts({ v }: { v: ContentVersionView }) {
  return (
    <dl className="facts">
      <dt>状态</dt>
      <dd>{STATUS_TEXT[v.status]}</dd>
      <dt>主题</dt>
      <dd>{v.topics.map((t) => TOPICS[t]).join('、')}</dd>
      <dt>受众</dt>
      <dd>{v.audience.everyone ? '全部医生' : `分群 ${v.audience.segmentIds.join('、')}`}</dd>
      <dt>优先级</dt>
      <dd>{v.priority}</dd>
      <dt>发布时间</dt>
      <dd>{v.publishAt ? timeText(v.publishAt) : '批准后发布即上线'}</dd>
      <dt>过期时间</dt>
      <dd>{timeText(v.expireAt)}</dd>
      {v.liveFrom && (
        <>
          <dt>上线于</dt>
          <dd>{timeText(v.liveFrom)}</dd>
        </>
      )}
      {v.review && (
        <>
          <dt>审核</dt>
          <dd>
            #{v.review.by} 于 {timeText(v.review.at)}
            {v.review.comment && `：“${v.review.comment}”`}
          </dd>
        </>
      )}
    </dl>
  );
}

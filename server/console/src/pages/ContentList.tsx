/** Content list with filters (status, type, topic, text) and paging; reviewers open it on 审核中. */
import { CONTENT_STATUSES, TOPICS, TOPIC_CODES, type ContentListItem, type ContentStatus } from '@hcp360/shared';
import { useState, type FormEvent } from 'react';
import { query, type Session } from '../api.js';
import { go } from '../App.js';
import { goFiltered, ListStatus, MoreButton, usePagedList } from '../lists.js';
import { STATUS_TEXT, timeText } from '../labels.js';

export function ContentList({ session, params }: { session: Session; params: URLSearchParams }) {
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? '';
  const topic = params.get('topic') ?? '';
  const q = params.get('q') ?? '';
  const { items, next, error, load } = usePagedList<ContentListItem>((cursor) => `/api/admin/content${query({ status, type, topic, q, cursor, limit: 20 })}`);
  const [text, setText] = useState(q);

  const filter = (change: Record<string, string>) => goFiltered('/content', params, change);

  function search(e: FormEvent) {
    e.preventDefault();
    filter({ q: text.trim() });
  }

  return (
    <section>
      <div className="pagehead">
        <h2>{status === 'in_review' ? '待审核内容' : '内容管理'}</h2>
        {session.user.role === 'marketing' && (
          <a className="button primary" href="#/content/new">
            新建内容
          </a>
        )}
      </div>
      <form className="filters" onSubmit={search}>
        <select aria-label="状态" value={status} onChange={(e) => filter({ status: e.target.value })}>
          <option value="">全部状态</option>
          {CONTENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_TEXT[s]}
            </option>
          ))}
        </select>
        <select aria-label="类型" value={type} onChange={(e) => filter({ type: e.target.value })}>
          <option value="">全部类型</option>
          <option value="article">文章</option>
          <option value="video">视频</option>
        </select>
        <select aria-label="主题" value={topic} onChange={(e) => filter({ topic: e.target.value })}>
          <option value="">全部主题</option>
          {TOPIC_CODES.map((t) => (
            <option key={t} value={t}>
              {TOPICS[t]}
            </option>
          ))}
        </select>
        <input aria-label="搜索标题或摘要" placeholder="搜索标题或摘要" maxLength={50} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">搜索</button>
      </form>
      <ListStatus items={items} error={error} retry={() => void load()} empty={status === 'in_review' ? '没有等待审核的内容。' : '没有符合条件的内容。'} />
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>标题</th>
              <th>类型</th>
              <th>状态</th>
              <th>主题</th>
              <th>发布时间</th>
              <th>过期时间</th>
              <th>版本</th>
              <th>更新于</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} onClick={() => go(`/content/${c.id}`)}>
                <td>
                  <a href={`#/content/${c.id}`}>{c.title}</a>
                  {c.rxOnly && <span className="tag rx">处方药</span>}
                </td>
                <td>{c.type === 'article' ? '文章' : '视频'}</td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>{c.topics.map((t) => TOPICS[t]).join('、')}</td>
                <td>{timeText(c.publishAt)}</td>
                <td>{timeText(c.expireAt)}</td>
                <td>
                  v{c.version}
                  {c.liveVersion !== null && c.liveVersion !== c.version && <span className="muted">（线上 v{c.liveVersion}）</span>}
                </td>
                <td>{timeText(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton next={next} load={load} />
    </section>
  );
}

export function StatusBadge({ status }: { status: ContentStatus }) {
  return <span className={`status s-${status}`}>{STATUS_TEXT[status]}</span>;
}

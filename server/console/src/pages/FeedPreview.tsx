/**
 * What one doctor's feed holds now and why (GET /api/admin/hcps/:id/feed-preview): find the
 * doctor by name or hospital, then each item's place, slot, reason and score broken down.
 */
import type { FeedPreviewResponse } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { errorText, REASON_KIND_TEXT } from '../labels.js';
import { FormError } from '../fields.js';

interface HcpRow {
  id: string;
  name: string | null;
  hospital: string | null;
  department: string | null;
  title: string | null;
}

const n2 = (v: number) => v.toFixed(2);

export function FeedPreview({ params }: { params: URLSearchParams }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<HcpRow[] | null>(null);
  const [preview, setPreview] = useState<FeedPreviewResponse | null>(null);
  const [who, setWho] = useState<HcpRow | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  // #/feed-preview?hcp=<id> (from a doctor's profile) opens that doctor's feed at once.
  const hcp = params.get('hcp');
  useEffect(() => {
    if (hcp && /^\d+$/.test(hcp)) void show({ id: hcp, name: null, hospital: null, department: null, title: null });
  }, []);

  async function find(e: FormEvent) {
    e.preventDefault();
    const q = text.trim();
    if (!q) return;
    setBusy(true);
    setError('');
    try {
      if (/^\d+$/.test(q)) await show({ id: q, name: null, hospital: null, department: null, title: null });
      else setFound((await api<{ items: HcpRow[] }>('GET', `/api/admin/hcps${query({ q, limit: 20 })}`)).items);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function show(h: HcpRow) {
    setError('');
    setBusy(true);
    try {
      // Opened by id (typed, or from a profile): the doctor's name comes from their profile.
      const [feed, named] = await Promise.all([
        api<FeedPreviewResponse>('GET', `/api/admin/hcps/${h.id}/feed-preview${query({ limit: 20 })}`),
        h.name ? h : api<{ profile: { name: string | null } }>('GET', `/api/admin/hcps/${h.id}`).then((p) => ({ ...h, name: p.profile.name })),
      ]);
      setPreview(feed);
      setWho(named);
      setFound(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <div className="pagehead">
        <h2>推荐预览</h2>
      </div>
      <p className="muted">查看某位医生此刻在首页看到的内容，以及每条内容的得分构成。</p>
      <form className="filters" onSubmit={find}>
        <input aria-label="医生姓名、医院或编号" placeholder="医生姓名、医院或编号" maxLength={40} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          查找
        </button>
      </form>
      <FormError text={error} />
      {found && found.length === 0 && <p className="empty">没有找到匹配的医生。</p>}
      {found && found.length > 0 && (
        <ul className="picklist">
          {found.map((h) => (
            <li key={h.id}>
              <button className="link" onClick={() => void show(h)}>
                {h.name ?? `医生 ${h.id}`}
              </button>{' '}
              <span className="muted">{[h.hospital, h.department, h.title].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
      {preview && (
        <div className="card">
          <h3>
            {who?.name ?? `医生 ${preview.hcpId}`} 的推荐
            {preview.coldStart && <span className="tag">冷启动</span>}
          </h3>
          <p className="muted">
            所属人群：{preview.cluster.label}（{preview.cluster.activeDoctors} 位活跃医生）
            {preview.affinities.length > 0 && ` · 兴趣：${preview.affinities.map((a) => `${a.label} ${n2(a.score)}`).join('、')}`}
          </p>
          {preview.items.length === 0 ? (
            <p className="empty">这位医生目前没有可推荐的内容。</p>
          ) : (
            <table className="list scores">
              <thead>
                <tr>
                  <th>#</th>
                  <th>标题</th>
                  <th>推荐理由</th>
                  <th>位置</th>
                  <th>兴趣</th>
                  <th>新鲜度</th>
                  <th>优先级</th>
                  <th>已读扣分</th>
                  <th>曝光扣分</th>
                  <th>同类热度</th>
                  <th>总分</th>
                </tr>
              </thead>
              <tbody>
                {preview.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.position + 1}</td>
                    <td>
                      <a href={`#/content/${i.id}`}>{i.title}</a>
                      {i.rxOnly && <span className="tag rx">处方药</span>}
                    </td>
                    <td title={REASON_KIND_TEXT[i.reasonKind]}>{i.reason}</td>
                    <td>{i.slot === 'ranked' ? '按得分' : '探索'}</td>
                    <td>{n2(i.score.affinity)}</td>
                    <td>{n2(i.score.freshness)}</td>
                    <td>{n2(i.score.priority)}</td>
                    <td>{i.score.readPenalty ? `−${n2(i.score.readPenalty)}` : '0'}</td>
                    <td>{i.score.impressionPenalty ? `−${n2(i.score.impressionPenalty)}` : '0'}</td>
                    <td>{n2(i.score.exploration)}</td>
                    <td>
                      <strong>{n2(i.score.total)}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * The HCP360 itself for staff: doctors found by name or hospital, lifecycle stage, segment or tag,
 * and one doctor's profile: static and behavioural tags, topic affinities, lifecycle history,
 * activity counters, segments, the rep who brought them in, and the timeline of their events.
 * Phone numbers are shown masked (PIPL: staff see what their work needs).
 */
import { LIFECYCLE_STAGE_LABELS, LIFECYCLE_STAGES, TOPICS, VERIFICATION_STATUS_LABELS, type LifecycleStage, type Topic, type VerificationStatus } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { go } from '../App.js';
import { goFiltered, ListStatus, MoreButton, usePagedList } from '../lists.js';
import { useSegments } from '../fields.js';
import { COUNTER_TEXT, errorText, timeText } from '../labels.js';

interface HcpRow {
  id: string;
  name: string | null;
  hospital: string | null;
  hospitalLevel: string | null;
  department: string | null;
  title: string | null;
  city: string | null;
  lifecycleStage: LifecycleStage;
  verification: VerificationStatus;
}

interface HcpProfile {
  id: string;
  profile: { name: string | null; hospital: string | null; hospitalLevel: string | null; department: string | null; title: string | null; province: string | null; city: string | null; phone: string | null; specialty: string | null; academicRoles: string[] };
  tags: { key: string; value: string; score?: number; since: string; updatedAt: string }[];
  affinities: { topic: string; label: string; score: number }[];
  lifecycle: { stage: LifecycleStage; since: string };
  lifecycleHistory: { from: LifecycleStage | null; to: LifecycleStage; cause: string; at: string }[];
  counters: Record<string, number> | null;
  activity: { firstEventAt: string | null; lastEventAt: string | null; lastActiveAt: string | null; arrival: { channel: string; at: string } | null } | null;
  segments: { id: string; name: string }[];
  rep: { id: string; name: string; since: string } | null;
}

interface TimelineItem {
  id: string;
  type: string;
  at: string;
  page: string | null;
  props: Record<string, unknown> | null;
}

const TAG_TEXT: Record<string, string> = {
  kol: 'KOL',
  koc: 'KOC',
  engagement_level: '活跃度',
  top_topic: '最关注主题',
  preferred_format: '偏好形式',
  active_hours: '活跃时段',
  title: '职称',
  department: '科室',
  hospital_level: '医院等级',
  province: '省份',
  city: '城市',
  verification: '认证',
};

const FORMAT_TEXT: Record<string, string> = { article: '文章', video: '视频', live: '直播' };

function tagValue(key: string, value: string): string {
  if (key === 'top_topic') return TOPICS[value as Topic] ?? value;
  if (key === 'preferred_format') return FORMAT_TEXT[value] ?? value;
  if (key === 'verification') return VERIFICATION_STATUS_LABELS[value as VerificationStatus] ?? value;
  if (value === 'true') return '是';
  return value;
}


const EVENT_TEXT: Record<string, string> = {
  app_launch: '打开小程序',
  page_view: '浏览页面',
  content_view: '查看内容',
  content_read: '阅读内容',
  content_like: '点赞',
  content_favorite: '收藏',
  content_share: '分享',
  live_register: '报名直播',
  live_heartbeat: '观看直播',
  live_replay_view: '观看回放',
  case_submit: '提交病例',
  invite_open: '打开邀请',
  search: '搜索',
};

const CAUSE_TEXT: Record<string, string> = {
  consent_and_profile_complete: '同意隐私政策并完善资料',
  verification_approved: '认证通过',
  koc: '成为 KOC',
  demo_seed: '演示数据',
};

/** How the doctor first arrived (the engine's arrival channels). */
const CHANNEL_TEXT: Record<string, string> = { rep_invite: '代表邀请', share: '同行分享', code_scan: '扫码', organic: '自然访问' };

/** 138****5678 (a number in any other shape is not shown at all). */
function masked(phone: string | null): string {
  if (!phone) return '—';
  const m = /^(\+?\d{3})\d+(\d{4})$/.exec(phone.replace(/[\s-]/g, ''));
  return m ? `${m[1]}****${m[2]}` : '已绑定（号码隐藏）';
}

/** What an event was about, in a few words (its content, live stream, campaign, search or page). */
function eventDetail(e: TimelineItem): string {
  const p = e.props ?? {};
  const bits: string[] = [];
  if (typeof p.content_id === 'string') bits.push(`内容 #${p.content_id}`);
  if (typeof p.live_id === 'string') bits.push(`直播 #${p.live_id}`);
  if (typeof p.campaign_id === 'string') bits.push(`征集 #${p.campaign_id}`);
  if (typeof p.query === 'string') bits.push(`“${p.query}”`);
  if (typeof p.dwell_ms === 'number') bits.push(`停留 ${Math.round(p.dwell_ms / 1000)} 秒`);
  if (typeof p.scroll_depth === 'number') bits.push(`读到 ${Math.round(p.scroll_depth * 100)}%`);
  if (typeof p.watched_ms === 'number') bits.push(`观看 ${Math.round(p.watched_ms / 60_000)} 分钟`);
  if (bits.length === 0 && e.page) bits.push(e.page);
  return bits.join(' · ');
}

export function DoctorList({ params }: { params: URLSearchParams }) {
  const q = params.get('q') ?? '';
  const stage = params.get('stage') ?? '';
  const segment = params.get('segment') ?? '';
  const tag = params.get('tag') ?? '';
  const { items, next, error, load } = usePagedList<HcpRow>((cursor) => `/api/admin/hcps${query({ q, stage, segment, tag, cursor, limit: 50 })}`);
  const segments = useSegments();
  const [text, setText] = useState(q);

  const filter = (change: Record<string, string>) => goFiltered('/doctors', params, change);

  return (
    <section>
      <div className="pagehead">
        <h2>医生画像</h2>
      </div>
      <form
        className="filters"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          filter({ q: text.trim() });
        }}
      >
        <input aria-label="姓名或医院" placeholder="姓名或医院" maxLength={40} value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label="生命周期" value={stage} onChange={(e) => filter({ stage: e.target.value })}>
          <option value="">全部阶段</option>
          {LIFECYCLE_STAGES.map((s) => (
            <option key={s} value={s}>
              {LIFECYCLE_STAGE_LABELS[s]}
            </option>
          ))}
        </select>
        <select aria-label="分群" value={segment} onChange={(e) => filter({ segment: e.target.value })}>
          <option value="">全部分群</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select aria-label="标签" value={tag} onChange={(e) => filter({ tag: e.target.value })}>
          <option value="">全部标签</option>
          <option value="kol=true">KOL</option>
          <option value="koc=true">KOC</option>
          <option value="engagement_level=高">活跃度：高</option>
          <option value="engagement_level=中">活跃度：中</option>
          <option value="engagement_level=低">活跃度：低</option>
        </select>
        <button type="submit">搜索</button>
      </form>
      <ListStatus items={items} error={error} retry={() => void load()} empty={'没有符合条件的医生。'} />
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>姓名</th>
              <th>医院</th>
              <th>科室</th>
              <th>职称</th>
              <th>城市</th>
              <th>阶段</th>
              <th>认证</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.id} onClick={() => go(`/doctors/${h.id}`)}>
                <td>
                  <a href={`#/doctors/${h.id}`}>{h.name ?? `医生 ${h.id}`}</a>
                </td>
                <td>{h.hospital ?? '—'}</td>
                <td>{h.department ?? '—'}</td>
                <td>{h.title ?? '—'}</td>
                <td>{h.city ?? '—'}</td>
                <td>{LIFECYCLE_STAGE_LABELS[h.lifecycleStage]}</td>
                <td>{VERIFICATION_STATUS_LABELS[h.verification]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton next={next} load={load} />
    </section>
  );
}

export function DoctorDetail({ id }: { id: string }) {
  const [hcp, setHcp] = useState<HcpProfile | null>(null);
  const [events, setEvents] = useState<TimelineItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');

  async function more(cursor?: string) {
    const res = await api<{ items: TimelineItem[]; nextCursor: string | null }>('GET', `/api/admin/hcps/${id}/timeline${query({ cursor, limit: 30 })}`);
    setEvents((before) => (cursor ? [...before, ...res.items] : res.items));
    setNext(res.nextCursor);
  }
  useEffect(() => {
    Promise.all([api<HcpProfile>('GET', `/api/admin/hcps/${id}`).then(setHcp), more()]).catch((err) => setError(errorText(err)));
  }, []);

  if (!hcp) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;
  const p = hcp.profile;
  const kol = hcp.tags.some((t) => t.key === 'kol' && t.value === 'true');
  const koc = hcp.tags.some((t) => t.key === 'koc' && t.value === 'true');
  return (
    <section>
      <div className="pagehead">
        <h2>
          {p.name ?? `医生 ${hcp.id}`} <span className="status">{LIFECYCLE_STAGE_LABELS[hcp.lifecycle.stage]}</span>
          {kol && <span className="tag kol">KOL</span>}
          {koc && <span className="tag kol">KOC</span>}
        </h2>
        <span>
          <a href={`#/feed-preview?hcp=${hcp.id}`}>查看推荐</a> · <a href="#/doctors">返回列表</a>
        </span>
      </div>
      {error && <p className="error">{error}</p>}
      <div className="columns">
        <div>
          <div className="card">
            <h3>基本信息</h3>
            <dl className="facts wide">
              <dt>医院</dt>
              <dd>
                {p.hospital ?? '—'}
                {p.hospitalLevel && <span className="muted">（{p.hospitalLevel}）</span>}
              </dd>
              <dt>科室</dt>
              <dd>{p.department ?? '—'}</dd>
              <dt>职称</dt>
              <dd>{p.title ?? '—'}</dd>
              <dt>地区</dt>
              <dd>{[p.province, p.city].filter(Boolean).join(' ') || '—'}</dd>
              <dt>专长</dt>
              <dd>{p.specialty ?? '—'}</dd>
              <dt>学术任职</dt>
              <dd>{p.academicRoles.join('、') || '—'}</dd>
              <dt>手机</dt>
              <dd>{masked(p.phone)}</dd>
              <dt>代表</dt>
              <dd>{hcp.rep ? `${hcp.rep.name}（${timeText(hcp.rep.since)} 起）` : '—'}</dd>
              <dt>分群</dt>
              <dd>{hcp.segments.map((s) => s.name).join('、') || '—'}</dd>
              <dt>来源</dt>
              <dd>{hcp.activity?.arrival ? `${CHANNEL_TEXT[hcp.activity.arrival.channel] ?? hcp.activity.arrival.channel}（${timeText(hcp.activity.arrival.at)}）` : '—'}</dd>
            </dl>
          </div>
          <div className="card">
            <h3>标签</h3>
            {hcp.tags.length === 0 ? (
              <p className="muted">暂无标签。</p>
            ) : (
              <table className="list tags">
                <tbody>
                  {hcp.tags.map((t) => (
                    <tr key={t.key}>
                      <td>{TAG_TEXT[t.key] ?? t.key}</td>
                      <td>{tagValue(t.key, t.value)}</td>
                      <td className="muted">{t.score !== undefined ? `得分 ${t.score}` : ''}</td>
                      <td className="muted">{timeText(t.since)} 起</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="card">
            <h3>兴趣主题</h3>
            {hcp.affinities.length === 0 ? (
              <p className="muted">还没有足够的行为数据。</p>
            ) : (
              <ul className="bars">
                {hcp.affinities.map((a) => (
                  <li key={a.topic}>
                    <span className="label">{a.label}</span>
                    <span className="bar" style={{ width: `${Math.round(a.score * 100)}%` }} />
                    <span className="value">{a.score.toFixed(2)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card">
            <h3>行为时间线</h3>
            {events.length === 0 ? (
              <p className="muted">暂无行为记录。</p>
            ) : (
              <ol className="timeline">
                {events.map((e) => (
                  <li key={e.id}>
                    <span className="when">{timeText(e.at)}</span> {EVENT_TEXT[e.type] ?? e.type} <span className="muted">{eventDetail(e)}</span>
                  </li>
                ))}
              </ol>
            )}
            {next && (
              <button className="more" onClick={() => void more(next).catch((err) => setError(errorText(err)))}>
                加载更早的记录
              </button>
            )}
          </div>
        </div>
        <aside>
          <div className="card">
            <h3>互动计数</h3>
            {hcp.counters ? (
              <dl className="facts counters">
                {Object.entries(COUNTER_TEXT).map(([k, label]) =>
                  hcp.counters![k] !== undefined ? (
                    <div key={k} className="pair">
                      <dt>{label}</dt>
                      <dd>{hcp.counters![k]}</dd>
                    </div>
                  ) : null,
                )}
              </dl>
            ) : (
              <p className="muted">暂无行为数据。</p>
            )}
            {hcp.activity?.lastActiveAt && <p className="muted">最近活跃：{timeText(hcp.activity.lastActiveAt)}</p>}
          </div>
          <div className="card history">
            <h3>生命周期</h3>
            <ol>
              {hcp.lifecycleHistory.map((t, i) => (
                <li key={i}>
                  <span className="when">{timeText(t.at)}</span>
                  {t.from ? `${LIFECYCLE_STAGE_LABELS[t.from]} → ` : ''}
                  {LIFECYCLE_STAGE_LABELS[t.to]} <span className="muted">{CAUSE_TEXT[t.cause] ?? t.cause}</span>
                </li>
              ))}
            </ol>
          </div>
        </aside>
      </div>
    </section>
  );
}

/**
 * Segments and rule tags (DESIGN §3): marketing defines who is in a segment (or carries a rule
 * tag) with conditions on a doctor's attributes, tags, topic affinities and counters, sees how
 * many doctors match before saving, and saves; content and live streams then target segments.
 * The builder covers "all of" / "any of" a list of conditions, each of which may be negated; a
 * rule shaped otherwise (saved through the API) is edited as JSON. The server checks every rule
 * (RuleSchema) and recomputes membership on save.
 */
import { RULE_ATTRIBUTES, RULE_COUNTERS, TOPICS, TOPIC_CODES, type Role, type Rule, type RuleAttribute } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { go } from '../App.js';
import { Decide } from '../Decide.js';
import { COUNTER_TEXT, errorText } from '../labels.js';
import { ATTR_CHOICES, ATTR_TEXT, fromRule, newCond, OP_TEXT, OPS, ruleText, toRule, type Built, type Cond } from '../ruleBuilder.js';

type Kind = 'segment' | 'tag';
const BASE: Record<Kind, string> = { segment: '/api/admin/segments', tag: '/api/admin/tag-rules' };
const KIND_TEXT: Record<Kind, string> = { segment: '分群', tag: '规则标签' };

interface Definition {
  id: string;
  kind: Kind;
  tagKey: string | null;
  name: string;
  description: string | null;
  rule: Rule;
  updatedAt: string;
}

export function SegmentList({ role }: { role: Role }) {
  const [items, setItems] = useState<Definition[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    Promise.all([api<{ items: Definition[] }>('GET', BASE.segment), api<{ items: Definition[] }>('GET', BASE.tag)]).then(
      ([s, t]) => setItems([...s.items, ...t.items]),
      (err) => setError(errorText(err)),
    );
  }, []);
  const writer = role === 'marketing' || role === 'admin';
  return (
    <section>
      <div className="pagehead">
        <h2>分群与规则标签</h2>
        {writer && (
          <span>
            <a className="button primary" href="#/segments/new?kind=segment">
              新建分群
            </a>{' '}
            <a className="button" href="#/segments/new?kind=tag">
              新建规则标签
            </a>
          </span>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {items === null && !error && <p className="muted">加载中…</p>}
      {items?.length === 0 && <p className="empty">还没有分群或规则标签。</p>}
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>名称</th>
              <th>类型</th>
              <th>规则</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={`${d.kind}-${d.id}`} onClick={() => go(`/segments/${d.kind}/${d.id}`)}>
                <td>
                  <a href={`#/segments/${d.kind}/${d.id}`}>{d.name}</a>
                  {d.tagKey && <span className="tag mono">{d.tagKey}</span>}
                </td>
                <td>{KIND_TEXT[d.kind]}</td>
                <td className="muted">{ruleText(d.rule)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface Preview {
  count: number;
  sample: { id: string; name: string | null; hospital: string | null }[];
}

export function SegmentEditor({ role, kind, id }: { role: Role; kind: Kind; id?: string }) {
  const writer = role === 'marketing' || role === 'admin';
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tagKey, setTagKey] = useState('rule:');
  const [built, setBuilt] = useState<Built | null>({ join: 'all', conds: [newCond()] });
  const [json, setJson] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(!id);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (!id) return;
    api<Definition & Preview>('GET', `${BASE[kind]}/${id}`).then(
      (d) => {
        setName(d.name);
        setDescription(d.description ?? '');
        setTagKey(d.tagKey ?? '');
        const b = fromRule(d.rule);
        setBuilt(b);
        setJson(JSON.stringify(d.rule, null, 2));
        setPreview({ count: d.count, sample: d.sample });
        setLoaded(true);
      },
      (err) => setError(errorText(err)),
    );
  }, []);

  /** The rule as it stands, or an error message. */
  function currentRule(): Rule | string {
    if (built) return toRule(built);
    try {
      return JSON.parse(json) as Rule;
    } catch {
      return '规则不是有效的 JSON。';
    }
  }

  function shown(err: unknown) {
    if (err instanceof ApiError && err.details) setProblems(err.details.map((d) => `${d.path}：${d.message}`));
    setError(err instanceof ApiError && err.code === 'RULE_INVALID' ? '规则有误，请按提示修改。' : errorText(err));
  }

  async function runPreview() {
    const rule = currentRule();
    if (typeof rule === 'string') return setError(rule);
    setError('');
    setProblems([]);
    try {
      setPreview(await api<Preview>('POST', `${BASE[kind]}/preview`, { rule }));
    } catch (err) {
      shown(err);
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const rule = currentRule();
    if (typeof rule === 'string') return setError(rule);
    if (!name.trim()) return setError('请填写名称。');
    setError('');
    setProblems([]);
    const body = { name: name.trim(), ...(description.trim() && { description: description.trim() }), rule, ...(kind === 'tag' && !id && { tagKey: tagKey.trim() }) };
    try {
      const saved = await api<Definition>(id ? 'PUT' : 'POST', id ? `${BASE[kind]}/${id}` : BASE[kind], body);
      if (id) {
        setNotice('已保存，成员已按新规则重新计算。');
        await runPreview();
      } else go(`/segments/${kind}/${saved.id}?saved=1`);
    } catch (err) {
      shown(err);
    }
  }

  if (!loaded) return error ? <p className="error">{error}</p> : <p className="muted">加载中…</p>;
  const setCond = (i: number, c: Partial<Cond>) => built && setBuilt({ ...built, conds: built.conds.map((x, j) => (j === i ? { ...x, ...c } : x)) });
  return (
    <form className="editorform" onSubmit={save} noValidate>
      <div className="pagehead">
        <h2>{id ? name || KIND_TEXT[kind] : `新建${KIND_TEXT[kind]}`}</h2>
        <a href="#/segments">返回列表</a>
      </div>
      {(notice || new URLSearchParams(location.hash.split('?')[1]).get('saved')) && <div className="callout ok">{notice || '已创建，成员已计算。'}</div>}
      <fieldset disabled={!writer}>
        <label>
          名称
          <input name="name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          说明（可选）
          <input name="description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {kind === 'tag' && (
          <label>
            标签键
            <input name="tagKey" className="mono" disabled={!!id} value={tagKey} onChange={(e) => setTagKey(e.target.value)} placeholder="rule:cardio_active" />
          </label>
        )}
        <div className="field">
          <span>规则</span>
          {built ? (
            <div className="rulebuilder">
              <label className="inline">
                医生须满足
                <select aria-label="条件组合" value={built.join} onChange={(e) => setBuilt({ ...built, join: e.target.value as Built['join'] })}>
                  <option value="all">全部条件</option>
                  <option value="any">任一条件</option>
                </select>
              </label>
              {built.conds.map((c, i) => (
                <div key={i} className="cond" data-cond={i}>
                  <label className="inline">
                    <input type="checkbox" checked={c.not} onChange={(e) => setCond(i, { not: e.target.checked })} />非
                  </label>
                  <select aria-label={`条件 ${i + 1} 类型`} value={c.type} onChange={(e) => setCond(i, newCond(e.target.value as Cond['type']))}>
                    <option value="attr">属性</option>
                    <option value="tag">标签</option>
                    <option value="affinity">兴趣</option>
                    <option value="counter">互动计数</option>
                  </select>
                  {c.type === 'attr' && (
                    <select aria-label={`条件 ${i + 1} 属性`} value={c.field} onChange={(e) => setCond(i, { field: e.target.value, value: '' })}>
                      {RULE_ATTRIBUTES.map((a) => (
                        <option key={a} value={a}>
                          {ATTR_TEXT[a]}
                        </option>
                      ))}
                    </select>
                  )}
                  {c.type === 'tag' && <input aria-label={`条件 ${i + 1} 标签`} className="mono short" value={c.field} onChange={(e) => setCond(i, { field: e.target.value })} />}
                  {c.type === 'affinity' && (
                    <select aria-label={`条件 ${i + 1} 主题`} value={c.field} onChange={(e) => setCond(i, { field: e.target.value })}>
                      {TOPIC_CODES.map((t) => (
                        <option key={t} value={t}>
                          {TOPICS[t]}
                        </option>
                      ))}
                    </select>
                  )}
                  {c.type === 'counter' && (
                    <select aria-label={`条件 ${i + 1} 计数`} value={c.field} onChange={(e) => setCond(i, { field: e.target.value })}>
                      {RULE_COUNTERS.map((k) => (
                        <option key={k} value={k}>
                          {COUNTER_TEXT[k] ?? k}
                        </option>
                      ))}
                    </select>
                  )}
                  <select aria-label={`条件 ${i + 1} 比较`} value={c.op} onChange={(e) => setCond(i, { op: e.target.value })}>
                    {OPS[c.type].map((o) => (
                      <option key={o} value={o}>
                        {OP_TEXT[o]}
                      </option>
                    ))}
                  </select>
                  {c.type === 'attr' && ATTR_CHOICES[c.field as RuleAttribute] && (c.op === 'eq' || c.op === 'ne') ? (
                    <select aria-label={`条件 ${i + 1} 值`} value={c.value} onChange={(e) => setCond(i, { value: e.target.value })}>
                      <option value="">请选择</option>
                      {Object.entries(ATTR_CHOICES[c.field as RuleAttribute]!).map(([v, label]) => (
                        <option key={v} value={v}>
                          {label}
                        </option>
                      ))}
                    </select>
                  ) : c.op === 'exists' || c.op === 'missing' ? null : (
                    <input
                      aria-label={`条件 ${i + 1} 值`}
                      value={c.value}
                      placeholder={c.type === 'affinity' ? '0–1' : c.type === 'counter' ? '整数' : c.op === 'in' || c.op === 'nin' ? '多个值用逗号分隔' : '值'}
                      onChange={(e) => setCond(i, { value: e.target.value })}
                    />
                  )}
                  {built.conds.length > 1 && (
                    <button type="button" onClick={() => setBuilt({ ...built, conds: built.conds.filter((_, j) => j !== i) })}>
                      删除
                    </button>
                  )}
                </div>
              ))}
              <button type="button" className="add" onClick={() => setBuilt({ ...built, conds: [...built.conds, newCond()] })}>
                添加条件
              </button>
            </div>
          ) : (
            <>
              <p className="muted">这条规则含有嵌套条件，以 JSON 编辑。</p>
              <textarea name="rule" className="mono" rows={10} value={json} onChange={(e) => setJson(e.target.value)} />
            </>
          )}
        </div>
      </fieldset>
      {error && (
        <div className="error" role="alert">
          <p>{error}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={() => void runPreview()}>
          预览命中
        </button>
        {writer && (
          <button type="submit" className="primary">
            保存
          </button>
        )}
      </div>
      {preview && (
        <div className="card preview-count">
          <strong>命中 {preview.count} 位医生</strong>
          {preview.sample.length > 0 && <span className="muted">：{preview.sample.map((s) => s.name ?? `医生 ${s.id}`).join('、')}{preview.count > preview.sample.length ? ' 等' : ''}</span>}
        </div>
      )}
      {id && writer && (
        <Decide
          choices={[{ key: 'delete', label: `删除${KIND_TEXT[kind]}`, tone: 'danger', confirm: kind === 'segment' ? '删除后以它为受众的内容和直播将不再对这些医生可见。确定删除？' : '删除后医生将不再带有这个标签。确定删除？' }]}
          onDecide={async () => {
            await api('DELETE', `${BASE[kind]}/${id}`);
            go('/segments');
          }}
        />
      )}
    </form>
  );
}

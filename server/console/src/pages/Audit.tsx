/**
 * The audit log (admin, compliance): every review, publication, approval, binding and merge, newest
 * first, by kind of record and id, each linked to the record's page in the console where it has one.
 */
import { CASE_STATUS_LABELS, LIVE_STATUS_LABELS } from '@hcp360/shared';
import { useState, type FormEvent } from 'react';
import { query } from '../api.js';
import { goFiltered, ListStatus, MoreButton, usePagedList } from '../lists.js';
import { ROLE_TEXT, STATUS_TEXT, timeText } from '../labels.js';

interface AuditItem {
  id: string;
  actor: { type: string; id: string | null; role: string };
  action: string;
  target: { type: string; id: string };
  detail: Record<string, unknown> | null;
  at: string;
}

const TARGET_TEXT: Record<string, string> = {
  content: '内容',
  verification_request: '认证申请',
  live: '直播',
  case_campaign: '病例征集',
  case_submission: '病例',
  staff: '员工账号',
  hcp: '医生',
  rule: '标签/分群规则',
  engine: '标签引擎',
};

/** Action prefixes that name a kind of record other than the target's. */
const KIND_TEXT: Record<string, string> = { case: '病例', verification: '认证', tag_rule: '标签规则', segment_rule: '分群规则', hcp: '医生', engine: '标签引擎' };

const VERB_TEXT: Record<string, string> = {
  create: '创建',
  edit: '修改',
  new_version: '新建版本',
  submit: '提交',
  approve: '批准',
  reject: '驳回',
  publish: '发布',
  archive: '归档',
  apply: '申请',
  'dept-approve': '部门批准',
  'compliance-approve': '合规批准',
  cancel: '取消',
  extend: '延长',
  end: '结束',
  replay: '上传回放',
  accept: '采纳',
  'request-revision': '退回修改',
  revise: '修改后重新提交',
  wechat_bind: '绑定微信',
  wechat_unbind: '解绑微信',
  attributes: '修改属性',
  merge: '合并',
  merge_undo: '撤销合并',
  close: '关闭',
  update: '修改',
  delete: '删除',
  settings: '修改设置',
  retrain: '重新训练模型',
};

/** `content.approve` as 内容 · 批准 (the raw action where it is not one we know). */
function actionText(action: string): string {
  const [kind, verb] = [action.slice(0, action.indexOf('.')), action.slice(action.indexOf('.') + 1)];
  const k = KIND_TEXT[kind] ?? TARGET_TEXT[kind] ?? kind;
  return VERB_TEXT[verb] ? `${k} · ${VERB_TEXT[verb]}` : action;
}

/** The console page of a record, where there is one. */
function linkOf(t: AuditItem['target']): string | null {
  if (t.type === 'content') return `/content/${t.id}`;
  if (t.type === 'case_submission') return `/cases/${t.id}`;
  if (t.type === 'hcp') return `/doctors/${t.id}`;
  return null;
}

/** Workflow statuses of every kind of record, as staff read them. */
const STATUSES: Record<string, string> = { ...LIVE_STATUS_LABELS, ...CASE_STATUS_LABELS, ...STATUS_TEXT, pending: '待审核', rejected: '已驳回' };

function detailText(d: AuditItem['detail']): string {
  if (!d) return '';
  const bits: string[] = [];
  const label = (s: unknown) => (typeof s === 'string' ? (STATUSES[s] ?? s) : '');
  if (d.from || d.to) bits.push(`${label(d.from) || '—'} → ${label(d.to) || '—'}`);
  if (typeof d.version === 'number') bits.push(`v${d.version}`);
  for (const k of ['comment', 'note'] as const) if (typeof d[k] === 'string' && d[k]) bits.push(`“${d[k]}”`);
  return bits.join(' · ');
}

export function Audit({ params }: { params: URLSearchParams }) {
  const type = params.get('type') ?? '';
  const target = params.get('id') ?? '';
  const { items, next, error, load } = usePagedList<AuditItem>((cursor) => `/api/admin/audit${query({ targetType: type, targetId: target, cursor, limit: 50 })}`);
  const [idText, setIdText] = useState(target);

  const filter = (change: Record<string, string>) => goFiltered('/audit', params, change);

  return (
    <section>
      <div className="pagehead">
        <h2>审计日志</h2>
      </div>
      <form
        className="filters"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          filter({ id: idText.trim() });
        }}
      >
        <select aria-label="记录类型" value={type} onChange={(e) => filter({ type: e.target.value })}>
          <option value="">全部记录</option>
          {Object.entries(TARGET_TEXT).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <input aria-label="记录编号" placeholder="记录编号" maxLength={64} value={idText} onChange={(e) => setIdText(e.target.value)} />
        <button type="submit">筛选</button>
      </form>
      <ListStatus items={items} error={error} retry={() => void load()} empty={'没有符合条件的记录。'} />
      {items && items.length > 0 && (
        <table className="list audit">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作人</th>
              <th>操作</th>
              <th>对象</th>
              <th>详情</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => {
              const link = linkOf(a.target);
              return (
                <tr key={a.id}>
                  <td>{timeText(a.at)}</td>
                  <td>{a.actor.id ? `${ROLE_TEXT[a.actor.role as keyof typeof ROLE_TEXT] ?? a.actor.role} #${a.actor.id}` : '系统'}</td>
                  <td>{actionText(a.action)}</td>
                  <td>
                    {TARGET_TEXT[a.target.type] ?? a.target.type} {link ? <a href={`#${link}`}>#{a.target.id}</a> : `#${a.target.id}`}
                  </td>
                  <td>{detailText(a.detail)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <MoreButton next={next} load={load} />
    </section>
  );
}

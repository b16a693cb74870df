/**
 * HCP credential verification (compliance): doctors who asked to be verified, oldest first, with
 * what they told us; approve, or reject with the reason the doctor will see. Decided requests stay
 * readable under 已通过 and 已驳回.
 */
import type { VerificationItem } from '@hcp360/shared';
import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { Decide } from '../Decide.js';
import { ListStatus, Tabs } from '../lists.js';
import { errorText, timeText } from '../labels.js';

type Status = VerificationItem['status'];
const TABS: [Status, string][] = [
  ['pending', '待审核'],
  ['approved', '已通过'],
  ['rejected', '已驳回'],
];

export function Verifications() {
  const [status, setStatus] = useState<Status>('pending');
  const [items, setItems] = useState<VerificationItem[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  async function load(s: Status) {
    setError('');
    try {
      setItems((await api<{ items: VerificationItem[] }>('GET', `/api/admin/verifications${query({ status: s, limit: 200 })}`)).items);
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => {
    setItems(null);
    void load(status);
  }, [status]);

  async function decide(v: VerificationItem, decision: 'approve' | 'reject', comment: string | undefined) {
    await api('POST', `/api/admin/verifications/${v.id}/${decision}`, comment ? { comment } : {});
    setNotice(`已${decision === 'approve' ? '通过' : '驳回'} ${v.name ?? `医生 ${v.hcpId}`} 的认证申请。`);
    await load(status);
  }

  return (
    <section>
      <div className="pagehead">
        <h2>医生认证</h2>
      </div>
      <Tabs options={TABS} value={status} onChange={(s) => (setStatus(s), setNotice(''))} />
      {notice && <div className="callout ok">{notice}</div>}
      <ListStatus items={items} error={error} retry={() => void load(status)} empty={status === 'pending' ? '没有等待审核的认证申请。' : '暂无记录。'} />
      {items?.map((v) => (
        <div key={v.id} className="card review" data-verification={v.id}>
          <h3>{v.name ?? `医生 ${v.hcpId}`}</h3>
          <dl className="facts wide">
            <dt>医院</dt>
            <dd>{v.hospital ?? '—'}</dd>
            <dt>科室</dt>
            <dd>{v.department ?? '—'}</dd>
            <dt>职称</dt>
            <dd>{v.title ?? '—'}</dd>
            <dt>执业证号</dt>
            <dd className="mono">{v.licenseNo}</dd>
            <dt>申请时间</dt>
            <dd>{timeText(v.createdAt)}</dd>
            {v.reviewedAt && (
              <>
                <dt>审核时间</dt>
                <dd>{timeText(v.reviewedAt)}</dd>
              </>
            )}
            {v.comment && (
              <>
                <dt>审核意见</dt>
                <dd>{v.comment}</dd>
              </>
            )}
          </dl>
          {v.status === 'pending' && (
            <Decide
              choices={[
                { key: 'approve', label: '通过', tone: 'primary', note: { label: '备注', required: false }, confirm: `确认 ${v.name ?? '该医生'} 的执业资格已核实？通过后可阅读处方药资料、提交病例。` },
                { key: 'reject', label: '驳回', tone: 'danger', note: { label: '驳回原因', required: true, missing: '驳回时请填写原因，医生将看到它。' }, confirm: '驳回这份认证申请？医生可以修改后重新申请。' },
              ]}
              onDecide={(k, note) => decide(v, k, note)}
            />
          )}
        </div>
      ))}
    </section>
  );
}

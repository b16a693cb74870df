/**
 * Staff accounts (admin): who can sign in with which role, new accounts (checked with the shared
 * StaffCreateInput schema first), and reps' WeChat bindings (a rep uses the mini-program's rep
 * pages as the WeChat identity bound here).
 */
import { STAFF_ROLES, StaffCreateInput, type StaffRole, type StaffUser } from '@hcp360/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { Decide } from '../Decide.js';
import { FieldError, FormError } from '../fields.js';
import { errorText, ROLE_TEXT } from '../labels.js';

const FIELD_TEXT: Record<string, string> = {
  username: '用户名须为 3–32 位小写字母、数字或 _ . -，以字母开头。',
  displayName: '请填写姓名（40 字以内）。',
  password: '密码至少 10 位。',
  role: '请选择角色。',
};

export function Staff() {
  const [items, setItems] = useState<StaffUser[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [form, setForm] = useState({ username: '', displayName: '', role: 'rep' as StaffRole, password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [openids, setOpenids] = useState<Record<string, string>>({});

  async function load() {
    try {
      setItems((await api<{ items: StaffUser[] }>('GET', '/api/admin/staff')).items);
      setError('');
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void load(), []);

  async function create(e: FormEvent) {
    e.preventDefault();
    const checked = StaffCreateInput.safeParse(form);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [String(i.path[0]), FIELD_TEXT[String(i.path[0])] ?? i.message])));
      return;
    }
    setErrors({});
    setError('');
    try {
      await api('POST', '/api/admin/staff', checked.data);
      setNotice(`已创建 ${checked.data.displayName}（${ROLE_TEXT[checked.data.role]}）的账号 ${checked.data.username}。`);
      setForm({ username: '', displayName: '', role: 'rep', password: '' });
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.details) setErrors(Object.fromEntries(err.details.map((d) => [d.path, FIELD_TEXT[d.path] ?? d.message])));
      setError(errorText(err));
    }
  }

  async function bind(s: StaffUser, action: 'bind' | 'unbind') {
    if (action === 'bind') {
      const openid = (openids[s.id] ?? '').trim();
      if (!openid) throw new ApiError(400, 'OPENID_REQUIRED', '请填写代表的微信 openid。');
      await api('POST', `/api/admin/staff/${s.id}/wechat-binding`, { openid });
    } else await api('DELETE', `/api/admin/staff/${s.id}/wechat-binding`);
    setNotice(`${s.displayName} 的微信${action === 'bind' ? '已绑定' : '已解绑'}。`);
    await load();
  }

  const fieldError = (k: string) => <FieldError text={errors[k]} />;
  return (
    <section>
      <div className="pagehead">
        <h2>员工账号</h2>
      </div>
      {notice && <div className="callout ok">{notice}</div>}
      <FormError text={error} />
      <div className="columns">
        <div>
          {items === null && !error && <p className="muted">加载中…</p>}
          {items && (
            <table className="list staff">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>用户名</th>
                  <th>角色</th>
                  <th>状态</th>
                  <th>微信（代表）</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id} data-staff={s.username}>
                    <td>{s.displayName}</td>
                    <td className="mono">{s.username}</td>
                    <td>{ROLE_TEXT[s.role]}</td>
                    <td>{s.active ? '正常' : '已停用'}</td>
                    <td>
                      {s.role !== 'rep' ? (
                        <span className="muted">—</span>
                      ) : s.wechatBound ? (
                        <Decide leading={<span>已绑定</span>} choices={[{ key: 'unbind', label: '解绑', tone: 'danger', confirm: `解绑 ${s.displayName} 的微信？解绑后该代表不能再使用小程序的代表功能。` }]} onDecide={(k) => bind(s, k)} />
                      ) : (
                        <Decide
                          leading={<input aria-label={`${s.displayName} 的微信 openid`} placeholder="微信 openid" maxLength={64} value={openids[s.id] ?? ''} onChange={(e) => setOpenids({ ...openids, [s.id]: e.target.value })} />}
                          choices={[{ key: 'bind', label: '绑定', tone: 'primary', confirm: `把这个微信身份绑定给 ${s.displayName}？` }]}
                          onDecide={(k) => bind(s, k)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <form className="card" onSubmit={create} noValidate>
          <h3>新建账号</h3>
          <label>
            用户名
            <input name="username" autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
            {fieldError('username')}
          </label>
          <label>
            姓名
            <input name="displayName" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
            {fieldError('displayName')}
          </label>
          <label>
            角色
            <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_TEXT[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            初始密码
            <input name="password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
            {fieldError('password')}
          </label>
          <button type="submit" className="primary">
            创建账号
          </button>
        </form>
      </div>
    </section>
  );
}

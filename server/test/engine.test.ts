/**
 * The HCP360 engine end to end on the real database: events posted over HTTP, folded by the
 * tagger, read back through the staff API.
 */
import { CURRENT_POLICY_VERSION } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markDirty, syncReferrals } from '../src/domains/tags/repo.js';
import type { PoolConnection } from '../src/platform/db.js';
import { Tagger } from '../src/domains/tags/tagger.js';
import { ITEM_SOURCES } from '../src/itemSources.js';
import { anEvent, loginDoctor, makeContent, makeDoctor, makeStaff, postEvents, signInAgain, type TestDoctor, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let marketing: TestStaff;
let medical: TestStaff;
let admin: TestStaff;
const items: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack({ env: { EVENTS_RATE_LIMIT_PER_MINUTE: '100000' } });
  marketing = await makeStaff(stack, 'marketing');
  medical = await makeStaff(stack, 'medical');
  admin = await makeStaff(stack, 'admin');
  const staff = { marketing, medical };
  items.ht1 = await makeContent(stack, { topics: ['hypertension'] }, staff);
  items.ht2 = await makeContent(stack, { topics: ['hypertension', 'heart_failure'] }, staff);
  items.ht3 = await makeContent(stack, { topics: ['hypertension'] }, staff);
  items.dm = await makeContent(stack, { topics: ['diabetes'], type: 'video' }, staff);
});
afterAll(() => stack.close());

const DAY = 86_400_000;
const settle = () => stack.engine!.tagger.runUntilIdle();
const deepRead = (contentId: string, ts?: number) => anEvent(stack, 'content_read', { content_id: contentId, dwell_ms: 150_000, scroll_depth: 0.95 }, ts);
const profileOf = async (d: TestDoctor) => {
  const res = await stack.http.get(`/api/admin/hcps/${d.id}`, marketing.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const tag = (p: { tags: { key: string; value: string }[] }, key: string) => p.tags.find((t) => t.key === key)?.value;

describe('the tagger', () => {
  it('puts hypertension at the top of affinities after three hypertension reads, with counters and behavioural tags', async () => {
    const d = await makeDoctor(stack, { until: 'verified' });
    await postEvents(stack, d, [deepRead(items.ht1!), deepRead(items.ht2!), deepRead(items.ht3!), anEvent(stack, 'content_read', { content_id: items.dm!, dwell_ms: 5000, scroll_depth: 0.1 })]);
    await settle();
    const p = await profileOf(d);
    expect(p.affinities[0]).toMatchObject({ topic: 'hypertension', label: '高血压' });
    expect(p.affinities[0].score).toBeGreaterThan(0.9);
    expect(p.affinities.find((a: { topic: string }) => a.topic === 'diabetes').score).toBeLessThan(0.2);
    expect(p.counters).toMatchObject({ content_reads: 4, deep_reads: 3, article_reads: 3, video_reads: 1 });
    expect(tag(p, 'preferred_format')).toBe('article');
    expect(tag(p, 'top_topic')).toBe('hypertension');
    expect(tag(p, 'engagement_level')).toBe('中');
    expect(tag(p, 'title')).toBe('主治医师');
  });

  it('reflects an event in the profile as soon as ingest wakes it, without anyone calling it', async () => {
    const d = await makeDoctor(stack, { until: 'verified' });
    await postEvents(stack, d, [deepRead(items.ht1!)]);
    await expect.poll(async () => (await profileOf(d)).counters?.content_reads, { timeout: 5000, interval: 50 }).toBe(1);
  });

  it('counts nothing twice when it crashes in the middle of a batch', async () => {
    const d = await makeDoctor(stack, { until: 'verified' });
    await stack.engine!.tagger.stop();
    const crashing = new Tagger(stack.deps, { itemSources: ITEM_SOURCES, beforeCommit: () => { throw new Error('simulated crash'); } });
    await postEvents(stack, d, [deepRead(items.ht1!), deepRead(items.ht2!)]);
    await expect(crashing.runOnce()).rejects.toThrow('simulated crash');
    await crashing.stop();
    const healthy = new Tagger(stack.deps, { itemSources: ITEM_SOURCES });
    await healthy.runUntilIdle();
    await healthy.runUntilIdle();
    await healthy.stop();
    stack.engine!.tagger.start();
    const p = await profileOf(d);
    expect(p.counters.content_reads).toBe(2);
    expect(p.counters.deep_reads).toBe(2);
  });

  it('applies each event once with two tagger instances working the same database', async () => {
    const doctors = await Promise.all([1, 2, 3, 4].map(() => loginDoctor(stack)));
    const a = new Tagger(stack.deps, { itemSources: ITEM_SOURCES, partitions: 4 });
    const b = new Tagger(stack.deps, { itemSources: ITEM_SOURCES, partitions: 4 });
    for (let round = 0; round < 3; round++) {
      await Promise.all(doctors.map((d) => postEvents(stack, d, Array.from({ length: 5 }, () => anEvent(stack, 'content_view', { content_id: items.ht1! })))));
      await Promise.all([a.runUntilIdle(), b.runUntilIdle(), stack.engine!.tagger.runUntilIdle()]);
    }
    await a.stop();
    await b.stop();
    for (const d of doctors) expect((await profileOf(d)).counters.content_views).toBe(15);
  });

  it('counts a referral that another partition commits while this partition waits for its dirty list', async () => {
    // The inviter has an event of its own waiting, so its partition's batch reads events.
    const sharer = await doctorInPartitionZero();
    const newcomer = await loginDoctor(stack);
    await settle();
    await stack.engine!.tagger.stop();
    await postEvents(stack, sharer, [anEvent(stack, 'content_view', { content_id: items.ht1! })]);
    // Another partition's batch, by hand: it records the newcomer's referral and marks the
    // inviter dirty with the same repo calls, and commits only once partition 0 waits.
    await runWhileMarkHeld(async (other) => {
      const at = stack.clock.now();
      expect(await syncReferrals(other, [{ hcpId: newcomer.id, arrival: { channel: 'share', at, inviter: { kind: 'hcp', id: sharer.id }, shareId: 'sh-race' } }])).toEqual([sharer.id]);
      await markDirty(other, [sharer.id], 'referral', at);
    });
    const [[row]] = (await stack.deps.pool.query('SELECT referred, content_views FROM hcp_activity WHERE hcp_id = ?', [sharer.id])) as unknown as [[{ referred: number; content_views: number }]];
    // The batch folded the sharer's own event and counted the referral committed under it.
    expect(row).toEqual({ referred: 1, content_views: 1 });
    await settle();
    const [[after]] = (await stack.deps.pool.query('SELECT referred FROM hcp_activity WHERE hcp_id = ?', [sharer.id])) as unknown as [[{ referred: number }]];
    expect(after.referred).toBe(1);
  });

  it('runs a batch chosen as a deadlock victim again, applying its events once', async () => {
    const d = await doctorInPartitionZero();
    await settle();
    await stack.engine!.tagger.stop();
    await postEvents(stack, d, [anEvent(stack, 'content_view', { content_id: items.ht1! })]);
    const before = await deadlocks();
    await runWhileMarkHeld(
      // Another transaction holds dirty marks (many: the larger transaction is not the victim)…
      (other) => markDirty(other, Array.from({ length: 200 }, (_, i) => String(9_000_000_000 + 4 * i + 1)), 'profile', stack.clock.now()),
      // …and asks for partition 0's cursor row, which the waiting run holds: a cycle. The run's
      // batch is rolled back, and runs again once the marks are gone.
      async (other) => {
        await other.query('SELECT last_event_id FROM tagger_cursors WHERE partition_no = 0 FOR UPDATE');
        await other.rollback();
      },
    );
    expect(await deadlocks()).toBe(before + 1);
    const [[row]] = (await stack.deps.pool.query('SELECT content_views FROM hcp_activity WHERE hcp_id = ?', [d.id])) as unknown as [[{ content_views: number }]];
    expect(row.content_views).toBe(1);
  });

  it('evaluates a doctor marked after a settings change by the new settings, though its run began before the change', async () => {
    const chief = await doctorInPartitionZero({ title: '副主任医师', hospitalLevel: '二级甲等' });
    await settle();
    expect(tag(await profileOf(chief), 'kol')).toBeUndefined();
    const settings = (await stack.http.get('/api/admin/engine/settings', admin.token)).body;
    try {
      // The run starts and waits in partition 0; meanwhile an admin widens the KOL hospital levels,
      // then the doctor's profile changes (marked dirty, committed once partition 0 waits).
      await runWhileMarkHeld(
        (other) => markDirty(other, [chief.id], 'profile', stack.clock.now()),
        async () => {
          const changed = await stack.http.put('/api/admin/engine/settings', { ...settings, kol: { ...settings.kol, hospitalLevels: ['三级甲等', '二级甲等'] } }, admin.token);
          expect(changed.status).toBe(200);
        },
      );
      const [tags] = (await stack.deps.pool.query("SELECT value FROM hcp_tags WHERE hcp_id = ? AND tag_key = 'kol'", [chief.id])) as unknown as [{ value: string }[]];
      expect(tags.map((t) => t.value)).toEqual(['true']);
    } finally {
      await stack.http.put('/api/admin/engine/settings', settings, admin.token);
    }
  });
});

/** Until a tagger run waits at its locking read of the dirty list (another transaction holds marks in it). */
async function untilRunWaitsForDirtyList(): Promise<void> {
  await expect
    .poll(
      async () => {
        const [waiting] = (await stack.deps.pool.query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT hcp_id, at FROM engine_dirty%'")) as unknown as [unknown[]];
        return waiting.length;
      },
      { timeout: 5000, interval: 20 },
    )
    .toBe(1);
}

/** Deadlocks the database server has detected so far (MariaDB's status variable, or MySQL's InnoDB metric). */
async function deadlocks(): Promise<number> {
  const [status] = (await stack.deps.pool.query("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")) as unknown as [{ Value: string }[]];
  if (status[0]) return Number(status[0].Value);
  const [metric] = (await stack.deps.pool.query("SELECT `COUNT` AS n FROM information_schema.INNODB_METRICS WHERE NAME = 'lock_deadlocks'")) as unknown as [{ n: number }[]];
  return Number(metric[0]!.n);
}

/** A new verified doctor in partition 0 of 4, the first partition a run takes (ids are consecutive: at most four tries). */
async function doctorInPartitionZero(profile?: NonNullable<Parameters<typeof makeDoctor>[1]>['profile']): Promise<TestDoctor> {
  let d = await makeDoctor(stack, { until: 'verified', profile });
  while (Number(d.id) % 4 !== 0) d = await makeDoctor(stack, { until: 'verified', profile });
  return d;
}

/**
 * With the stack's tagger stopped: another transaction does `hold` (writing a dirty mark of a
 * partition-0 doctor) without committing; a tagger run starts and reaches partition 0's locking
 * read of the dirty list, where it waits for that mark; then `meanwhile` runs (given that transaction), the other
 * transaction commits, and the run ends. The stack's tagger starts again afterwards.
 */
async function runWhileMarkHeld(hold: (other: PoolConnection) => Promise<unknown>, meanwhile?: (other: PoolConnection) => Promise<void>): Promise<void> {
  await stack.engine!.tagger.stop();
  const tagger = new Tagger(stack.deps, { itemSources: ITEM_SOURCES, partitions: 4 });
  const other = await stack.deps.pool.getConnection();
  let run: Promise<number> | undefined;
  try {
    await other.beginTransaction();
    await hold(other);
    run = tagger.runOnce();
    await untilRunWaitsForDirtyList();
    await meanwhile?.(other);
    await other.commit();
    await run;
  } finally {
    await other.rollback();
    other.release();
    await run?.catch(() => undefined);
    await tagger.stop();
    stack.engine!.tagger.start();
  }
}

describe('segments and rule tags', () => {
  it('refuses an invalid rule with RULE_INVALID pointing at the bad node', async () => {
    const res = await stack.http.post('/api/admin/segments', { name: 'x', rule: { all: [{ attr: 'title', op: 'eq', value: '主任医师' }, { affinity: 'hypertension', op: 'above', value: 2 }] } }, marketing.token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('RULE_INVALID');
    expect(res.body.error.details).toEqual([
      { path: 'rule.all.1.op', message: 'op must be one of gte, gt, lte, lt' },
      { path: 'rule.all.1.value', message: 'an affinity is compared with a number from 0 to 1' },
    ]);
    const unknown = await stack.http.post('/api/admin/segments/preview', { rule: { counter: 'salary', op: 'gte', value: 1 } }, marketing.token);
    expect(unknown.body.error).toMatchObject({ code: 'RULE_INVALID', details: [{ path: 'rule.counter', message: expect.stringMatching(/^counter must be one of/) }] });
  });

  it('keeps membership up to date after an event and after a profile change', async () => {
    const d = await makeDoctor(stack, { until: 'verified' });
    const fans = await stack.http.post('/api/admin/segments', { name: '高血压关注者', rule: { affinity: 'hypertension', op: 'gte', value: 0.6 } }, marketing.token);
    expect(fans.status).toBe(201);
    const endo = await stack.http.post('/api/admin/segments', { name: '内分泌科', rule: { attr: 'department', op: 'eq', value: '内分泌科' } }, marketing.token);
    const segmentsOf = async () => ((await profileOf(d)).segments as { id: string }[]).map((s) => s.id);
    await settle();
    expect(await segmentsOf()).not.toContain(fans.body.id);

    await postEvents(stack, d, [deepRead(items.ht1!)]);
    await settle();
    expect(await segmentsOf()).toContain(fans.body.id);

    expect(await segmentsOf()).not.toContain(endo.body.id);
    await stack.http.put('/api/me/profile', { name: '张伟', hospital: '北京协和医院', department: '内分泌科', title: '主治医师' }, d.token);
    await settle();
    expect(await segmentsOf()).toContain(endo.body.id);
    const members = await stack.http.get(`/api/admin/hcps?segment=${endo.body.id}`, marketing.token);
    expect(members.body.items.map((i: { id: string }) => i.id)).toContain(d.id);
  });

  it('previews a rule with a count and a sample, and a rule tag writes tags with history', async () => {
    const senior = await makeDoctor(stack, { until: 'verified', profile: { title: '主任医师', department: '肾内科' } });
    const preview = await stack.http.post('/api/admin/tag-rules/preview', { rule: { all: [{ attr: 'title', op: 'eq', value: '主任医师' }, { attr: 'department', op: 'eq', value: '肾内科' }] } }, marketing.token);
    expect(preview.body.count).toBeGreaterThanOrEqual(1);
    expect(preview.body.sample.map((s: { id: string }) => s.id)).toContain(senior.id);
    const created = await stack.http.post('/api/admin/tag-rules', { name: '肾内科主任', tagKey: 'rule:renal_chiefs', rule: { all: [{ attr: 'title', op: 'eq', value: '主任医师' }, { attr: 'department', op: 'eq', value: '肾内科' }] } }, marketing.token);
    expect(created.status).toBe(201);
    expect(tag(await profileOf(senior), 'rule:renal_chiefs')).toBe('true');
    const [history] = await stack.deps.pool.query('SELECT old_value, new_value FROM hcp_tag_history WHERE hcp_id = ? AND tag_key = ?', [senior.id, 'rule:renal_chiefs']);
    expect(history).toEqual([{ old_value: null, new_value: 'true' }]);
    const taken = await stack.http.post('/api/admin/tag-rules', { name: 'again', tagKey: 'rule:renal_chiefs', rule: { attr: 'title', op: 'eq', value: '主任医师' } }, marketing.token);
    expect(taken.body.error.code).toBe('TAG_KEY_TAKEN');
  });
});

describe('lifecycle', () => {
  it('moves verified → engaged on five meaningful actions, → dormant after 45 quiet days, and back on return', async () => {
    const d = await makeDoctor(stack, { until: 'verified' });
    await postEvents(stack, d, [1, 2, 3, 4].map((i) => anEvent(stack, 'content_like', { content_id: items.ht1!, on: true }, stack.clock.now() - i * 1000)));
    await settle();
    expect((await profileOf(d)).lifecycle.stage).toBe('verified');
    await postEvents(stack, d, [deepRead(items.ht2!)]);
    await settle();
    expect((await profileOf(d)).lifecycle.stage).toBe('engaged');

    stack.clock.advance(46 * DAY);
    // Tokens are 15-minute tokens: everyone signs in again after the jump.
    marketing = await signInAgain(stack, marketing);
    medical = await signInAgain(stack, medical);
    admin = await signInAgain(stack, admin);
    const again = await loginDoctor(stack, d.openid);
    // Read between job runs, the profile already says dormant…
    expect((await profileOf(d)).lifecycle.stage).toBe('dormant');
    // …and the periodic refresh records the transition.
    await stack.engine!.refresh();
    await settle();
    const quiet = await profileOf(d);
    expect(quiet.lifecycle.stage).toBe('dormant');
    expect(quiet.lifecycleHistory.at(-1)).toMatchObject({ from: 'engaged', to: 'dormant', cause: 'no activity for 45 days' });

    await postEvents(stack, again, [deepRead(items.ht3!)]);
    await settle();
    const back = await profileOf(d);
    expect(back.lifecycle.stage).toBe('engaged');
    expect(back.lifecycleHistory.at(-1)).toMatchObject({ from: 'dormant', to: 'engaged', cause: 'returned' });
  });

  it('takes a referral back from an inviter when an earlier touch names another, leaving no row counting it', async () => {
    const [first, second, newcomer] = [await loginDoctor(stack), await loginDoctor(stack), await loginDoctor(stack)];
    const now = stack.clock.now();
    const referredOf = async (d: TestDoctor) => {
      const [rows] = (await stack.deps.pool.query('SELECT referred FROM hcp_activity WHERE hcp_id = ?', [d.id])) as unknown as [{ referred: number }[]];
      return rows.map((r) => r.referred);
    };
    // The inviter's mark is taken up by a later pass, perhaps by the stack's own tagger: wait for it.
    const until = (d: TestDoctor, referred: number[]) => expect.poll(() => referredOf(d), { timeout: 5000, interval: 50 }).toEqual(referred);
    await postEvents(stack, newcomer, [anEvent(stack, 'invite_open', { inviter: `d${first.id}`, scene: 1007 }, now - DAY)]);
    await until(first, [1]);
    // An invite opened earlier arrives late: the newcomer's first touch, and so the referral, is the second inviter's.
    await postEvents(stack, newcomer, [anEvent(stack, 'invite_open', { inviter: `d${second.id}`, scene: 1007 }, now - 3 * DAY)]);
    await until(second, [1]);
    // The first inviter has no events of their own: no activity row at all, as a recompute leaves it.
    await until(first, []);
  });

  it('makes a doctor whose shares brought in three new doctors an advocate, attributing each arrival once', async () => {
    const sharer = await makeDoctor(stack, { until: 'verified' });
    for (let i = 0; i < 3; i++) {
      const newcomer = await loginDoctor(stack);
      await postEvents(stack, newcomer, [anEvent(stack, 'invite_open', { inviter: `d${sharer.id}`, share_id: `sh-${i}`, scene: 1007 }), anEvent(stack, 'app_launch', { inviter: `d${sharer.id}` })]);
    }
    await settle();
    await settle();
    const p = await profileOf(sharer);
    expect(p.counters).toBeTruthy();
    const [[row]] = (await stack.deps.pool.query('SELECT referred FROM hcp_activity WHERE hcp_id = ?', [sharer.id])) as unknown as [[{ referred: number }]];
    expect(row.referred).toBe(3);
    expect(p.lifecycle.stage).toBe('advocate');
    expect(p.lifecycleHistory.at(-1)).toMatchObject({ to: 'advocate', cause: 'referred 3 doctors' });
  });
});

describe('the staff view', () => {
  it('makes a KOL from the title and a staff-set academic role, and follows a changed threshold', async () => {
    const chief = await makeDoctor(stack, { until: 'verified', profile: { title: '主任医师', hospitalLevel: '二级甲等' } });
    await settle();
    expect(tag(await profileOf(chief), 'kol')).toBeUndefined();
    const set = await stack.http.put(`/api/admin/hcps/${chief.id}/attributes`, { academicRoles: ['中华医学会心血管病学分会委员'] }, admin.token);
    expect(set.status).toBe(200);
    await settle();
    expect(tag(await profileOf(chief), 'kol')).toBe('true');
    expect(tag(await profileOf(chief), 'academic_role')).toBe('中华医学会心血管病学分会委员');

    const other = await makeDoctor(stack, { until: 'verified', profile: { title: '副主任医师', hospitalLevel: '二级甲等' } });
    await settle();
    expect(tag(await profileOf(other), 'kol')).toBeUndefined();
    const settings = (await stack.http.get('/api/admin/engine/settings', admin.token)).body;
    const changed = await stack.http.put('/api/admin/engine/settings', { ...settings, kol: { ...settings.kol, hospitalLevels: ['三级甲等', '二级甲等'] } }, admin.token);
    expect(changed.status).toBe(200);
    await stack.http.put('/api/me/profile', { name: '李强', hospital: '某市人民医院', hospitalLevel: '二级甲等', department: '心血管内科', title: '副主任医师' }, other.token);
    await settle();
    expect(tag(await profileOf(other), 'kol')).toBe('true');
    await stack.http.put('/api/admin/engine/settings', settings, admin.token);
  });

  it('pages a doctor timeline newest first, and filters the list by tag, stage and text', async () => {
    const d = await makeDoctor(stack, { until: 'verified', profile: { name: '欧阳娜', hospital: '测试专科医院' } });
    await postEvents(stack, d, [1, 2, 3].map((i) => anEvent(stack, 'search', { query: `查询${i}` }, stack.clock.now() - (4 - i) * 1000)));
    const first = await stack.http.get(`/api/admin/hcps/${d.id}/timeline?limit=2`, marketing.token);
    expect(first.body.items.map((e: { props: { query: string } }) => e.props.query)).toEqual(['查询3', '查询2']);
    const second = await stack.http.get(`/api/admin/hcps/${d.id}/timeline?limit=2&cursor=${first.body.nextCursor}`, marketing.token);
    expect(second.body.items.map((e: { props: { query: string } }) => e.props.query)).toEqual(['查询1']);
    expect(second.body.nextCursor).toBeNull();
    await settle();
    const byText = await stack.http.get(`/api/admin/hcps?q=${encodeURIComponent('欧阳')}`, marketing.token);
    expect(byText.body.items.map((i: { id: string }) => i.id)).toEqual([d.id]);
    const byStage = await stack.http.get('/api/admin/hcps?stage=verified&limit=200', marketing.token);
    expect(byStage.body.items.map((i: { id: string }) => i.id)).toContain(d.id);
    const byTag = await stack.http.get(`/api/admin/hcps?tag=${encodeURIComponent('title=主治医师')}&limit=200`, marketing.token);
    expect(byTag.body.items.map((i: { id: string }) => i.id)).toContain(d.id);
  });

  it('shows a rep only the doctors who arrived through that rep', async () => {
    const rep = await makeStaff(stack, 'rep');
    const mine = await loginDoctor(stack);
    const notMine = await loginDoctor(stack);
    await postEvents(stack, mine, [anEvent(stack, 'app_launch', { inviter: `r${rep.id}` }, stack.clock.now() - 5000)]);
    await postEvents(stack, notMine, [anEvent(stack, 'app_launch', {}, stack.clock.now() - 5000)]);
    await settle();
    expect((await stack.http.get(`/api/admin/hcps/${mine.id}`, rep.token)).body.rep).toMatchObject({ id: rep.id });
    expect((await stack.http.get(`/api/admin/hcps/${notMine.id}`, rep.token)).status).toBe(404);
    expect((await stack.http.get(`/api/admin/hcps/${notMine.id}/timeline`, rep.token)).status).toBe(404);
    const list = await stack.http.get('/api/admin/hcps?limit=200', rep.token);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
  });

  it('is for staff only: doctors get 403', async () => {
    const d = await loginDoctor(stack);
    expect((await stack.http.get(`/api/admin/hcps/${d.id}`, d.token)).status).toBe(403);
    expect((await stack.http.get('/api/admin/segments', d.token)).status).toBe(403);
    await stack.http.post('/api/me/consents', { policyVersion: CURRENT_POLICY_VERSION, sensitive: true }, d.token);
  });
});

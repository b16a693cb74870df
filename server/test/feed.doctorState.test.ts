/**
 * The feed's in-memory doctor state (feed/doctorReads.ts) and the engine's change log that keeps
 * it current (tags/changeLog.ts). A second BFF instance on the same database (its own process
 * state, no tagger) stands for another server behind the load balancer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImpressionTime, IMPRESSION_TIMES_KEPT, UnclickedView, type ImpressionTimes } from '../src/domains/feed/impressions.js';
import { announceDoctorChanges, doctorChangesSince, FOLLOW, recordDoctorChanges, sweepDoctorChanges } from '../src/domains/tags/changeLog.js';
import { loadConfig } from '../src/platform/config.js';
import { buildDeps, startServer, type RunningServer } from '../src/server.js';
import { makeDoctor, makeStaff, type TestDoctor } from './factories.js';
import { ids, publisher, read, settle, type Publisher } from './feedSupport.js';
import { makeHttp, startStack, TEST_JWT_SECRET, type Http, type Stack } from './harness.js';

let stack: Stack;
let pub: Publisher;
beforeAll(async () => {
  stack = await startStack();
  pub = await publisher(stack);
});
afterAll(() => stack.close());

/** Another BFF instance on the stack's database and clock, with its own feed memory. */
async function anotherInstance(env: Record<string, string>): Promise<{ http: Http; server: RunningServer }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    WECHAT_APPID: stack.config.wechat.appid,
    WECHAT_SECRET: stack.config.wechat.secret,
    WECHAT_API_BASE: stack.fake.url,
    MYSQL_URL: stack.databaseUrl,
    ...env,
  });
  const server = await startServer(buildDeps(config, stack.databaseUrl, { clock: stack.clock.now }), { port: 0 });
  return { http: makeHttp(server.url), server };
}

/**
 * A verification status written behind the engine's back (no change logged or told), as a
 * script fixing data by hand would: Rx-only items show whether the doctor's state was read again.
 */
const setVerificationQuietly = (d: TestDoctor, status: 'none' | 'verified') =>
  stack.deps.pool.query('UPDATE hcps SET verification_status = ? WHERE id = ?', [status, d.id]);

async function feedIds(http: Http, d: TestDoctor): Promise<string[]> {
  const res = await http.get('/api/feed?limit=50', d.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return ids(res.body.items);
}

/**
 * A doctor the engine has finished with, and an Rx-only item, older than what a follower of the
 * change log starts by reading (its look-back): only what the test logs next can drop the doctor.
 */
async function quietDoctorAndRxItem(): Promise<{ doctor: TestDoctor; item: string }> {
  const doctor = await makeDoctor(stack);
  const item = await pub.publish({ rxOnly: true });
  await settle(stack);
  stack.clock.advance(FOLLOW.lookbackMs + 1000);
  return { doctor, item };
}

describe('another instance', () => {
  it('serves a doctor from memory until the change log names them, then reads them again', async () => {
    const { doctor, item } = await quietDoctorAndRxItem();
    const other = await anotherInstance({ FEED_CACHE_POLL_MS: '50', FEED_CACHE_MAX_AGE_MS: '600000' });
    try {
      expect(await feedIds(other.http, doctor)).not.toContain(item);

      // Changed without the engine: the other instance still serves what it holds.
      await setVerificationQuietly(doctor, 'verified');
      expect(await feedIds(other.http, doctor)).not.toContain(item);
      // Logged as the engine logs its batches: the other instance reads the log and drops the doctor.
      await recordDoctorChanges(stack.deps.pool, [doctor.id], stack.clock.now());
      await expect.poll(() => feedIds(other.http, doctor), { timeout: 5000, interval: 50 }).toContain(item);
    } finally {
      await other.server.close();
    }
  });

  it('reads every doctor again when the log says everyone changed (a rule or settings change)', async () => {
    const { doctor, item } = await quietDoctorAndRxItem();
    const other = await anotherInstance({ FEED_CACHE_POLL_MS: '50', FEED_CACHE_MAX_AGE_MS: '600000' });
    try {
      expect(await feedIds(other.http, doctor)).not.toContain(item);
      await setVerificationQuietly(doctor, 'verified');
      expect(await feedIds(other.http, doctor)).not.toContain(item);
      await recordDoctorChanges(stack.deps.pool, 'everyone', stack.clock.now());
      await expect.poll(() => feedIds(other.http, doctor), { timeout: 5000, interval: 50 }).toContain(item);
    } finally {
      await other.server.close();
    }
  });

  it('sees what the engine made of new reading once the tagger has committed it', async () => {
    const other = await anotherInstance({ FEED_CACHE_POLL_MS: '50' });
    try {
      const doctor = await makeDoctor(stack);
      const diabetes = await pub.publish({ topics: ['diabetes'], priority: 0 });
      const before = await other.http.get('/api/feed?limit=50', doctor.token);
      expect(before.body.items.find((i: { id: string }) => i.id === diabetes)?.reasonKind).not.toBe('affinity');

      const more = [await pub.publish({ topics: ['diabetes'] }), await pub.publish({ topics: ['diabetes'] })];
      await read(stack, doctor, more); // ingested by the first instance
      await settle(stack); // its tagger evaluates the doctor and logs the change
      await expect
        .poll(async () => (await other.http.get('/api/feed?limit=50', doctor.token)).body.items.find((i: { id: string }) => i.id === diabetes)?.reason, { timeout: 5000, interval: 50 })
        .toBe('因为你关注「糖尿病」');
    } finally {
      await other.server.close();
    }
  });

  it('reads a doctor again once their entry is older than FEED_CACHE_MAX_AGE_MS, logged or not', async () => {
    // The log is not read during this test (FEED_CACHE_POLL_MS beyond it): only the entry's age decides.
    const other = await anotherInstance({ FEED_CACHE_MAX_AGE_MS: '60000', FEED_CACHE_POLL_MS: '60000' });
    try {
      const doctor = await makeDoctor(stack, { until: 'verified' });
      const item = await pub.publish({ rxOnly: true });
      expect(await feedIds(other.http, doctor)).toContain(item);
      await setVerificationQuietly(doctor, 'none');
      stack.clock.advance(30_000);
      expect(await feedIds(other.http, doctor)).toContain(item);
      stack.clock.advance(31_000);
      expect(await feedIds(other.http, doctor)).not.toContain(item);
    } finally {
      await other.server.close();
    }
  });

  it('keeps at most FEED_CACHE_DOCTORS doctors, the least recently served out first; 0 keeps none', async () => {
    // The log is not read during this test (FEED_CACHE_POLL_MS beyond it): only the bound decides.
    const one = await anotherInstance({ FEED_CACHE_DOCTORS: '1', FEED_CACHE_MAX_AGE_MS: '600000', FEED_CACHE_POLL_MS: '60000' });
    const none = await anotherInstance({ FEED_CACHE_DOCTORS: '0' });
    try {
      const [a, b] = await Promise.all([makeDoctor(stack), makeDoctor(stack)]);
      const item = await pub.publish({ rxOnly: true });
      expect(await feedIds(one.http, a)).not.toContain(item);
      expect(await feedIds(one.http, b)).not.toContain(item); // b's state pushes a's out
      expect(await feedIds(none.http, a)).not.toContain(item);
      await Promise.all([setVerificationQuietly(a, 'verified'), setVerificationQuietly(b, 'verified')]);
      expect(await feedIds(one.http, a)).toContain(item); // read again
      expect(await feedIds(one.http, a)).toContain(item);
      expect(await feedIds(none.http, a)).toContain(item); // never kept
    } finally {
      await Promise.all([one.server.close(), none.server.close()]);
    }
  });
});

describe('the instance that made the change', () => {
  it('drops a doctor the moment a verification is approved: Rx-only items follow without waiting for the tagger', async () => {
    const doctor = await makeDoctor(stack, { until: 'pending' });
    const rx = await pub.publish({ rxOnly: true });
    expect(await feedIds(stack.http, doctor)).not.toContain(rx);
    const compliance = await makeStaff(stack, 'compliance');
    const pending = await stack.http.get('/api/admin/verifications?status=pending', compliance.token);
    const request = pending.body.items.find((v: { hcpId: string }) => v.hcpId === doctor.id);
    expect((await stack.http.post(`/api/admin/verifications/${request.id}/approve`, {}, compliance.token)).status).toBe(200);
    expect(await feedIds(stack.http, doctor)).toContain(rx);
  });

  it('counts the impressions it shows as it shows them: an item shown six times without a click falls at once', async () => {
    const doctor = await makeDoctor(stack);
    const top = async () => ids((await stack.http.get('/api/feed?limit=1', doctor.token)).body.items)[0];
    const first = await top();
    for (let i = 0; i < 5; i++) await top();
    // No wait for the impression buffer's write (feed.ranking.test.ts waits for it): memory has them.
    expect(await top()).not.toBe(first);
  });
});

describe('impressions not written yet', () => {
  it('still count when the doctor’s state is read again before the impression buffer is written', async () => {
    const doctor = await makeDoctor(stack);
    const top = async () => ids((await stack.http.get('/api/feed?limit=1', doctor.token)).body.items)[0];
    const first = await top();
    for (let i = 0; i < 5; i++) await top();
    // Dropped as after a change: the next request reads the database, where the buffer (written every second) may not be yet.
    announceDoctorChanges(stack.deps, [doctor.id]);
    expect(await top()).not.toBe(first);
  });
});

describe('the change log', () => {
  it('is swept of rows older than what followers still read', async () => {
    const now = stack.clock.now();
    await recordDoctorChanges(stack.deps.pool, ['900001'], now - 2 * 3_600_000);
    await recordDoctorChanges(stack.deps.pool, ['900002'], now);
    const rows = async () => (await doctorChangesSince(stack.deps.pool, 0)).filter((r) => r.ids !== 'everyone' && (r.ids[0] === '900001' || r.ids[0] === '900002'));
    expect((await rows()).map((r) => r.ids)).toEqual([['900001'], ['900002']]);
    expect(await sweepDoctorChanges(stack.deps.pool, now - 3_600_000)).toBeGreaterThanOrEqual(1);
    expect((await rows()).map((r) => r.ids)).toEqual([['900002']]);
  });
});

describe('impression times', () => {
  it('keep the latest IMPRESSION_TIMES_KEPT times per item, in order, however they arrive', () => {
    const times: ImpressionTimes = new Map();
    for (const at of [50, 10, 30, 20, 40, 60, 70, 80, 90, 100, 5]) addImpressionTime(times, 'x', at);
    expect(IMPRESSION_TIMES_KEPT).toBe(8);
    expect(times.get('x')).toEqual([30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('count what was shown after the doctor last opened the item, within the 14-day window', () => {
    const DAY = 86_400_000;
    const now = 100 * DAY;
    const times: ImpressionTimes = new Map([
      ['old', [now - 20 * DAY, now - 15 * DAY, now - 2 * DAY]],
      ['opened', [now - 5 * DAY, now - 4 * DAY, now - 3 * DAY, now - DAY]],
      ['never', [now - 3 * DAY, now - 2 * DAY]],
    ]);
    const unclicked = new UnclickedView(times, new Map([['opened', now - 3 * DAY]]), now);
    expect(Object.fromEntries(unclicked)).toEqual({ old: 1, opened: 1, never: 2 });
    expect([unclicked.get('old'), unclicked.get('opened'), unclicked.get('never'), unclicked.get('unknown')]).toEqual([1, 1, 2, undefined]);
    // A view: what is shown later counts at once, and an item whose times all fell out of the window counts as none.
    addImpressionTime(times, 'never', now - DAY);
    times.set('gone', [now - 15 * DAY]);
    expect(unclicked.get('never')).toBe(3);
    expect(unclicked.get('gone')).toBeUndefined();
    expect(Object.fromEntries(unclicked)).toEqual({ old: 1, opened: 1, never: 3 });
  });
});

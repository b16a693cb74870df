/**
 * `npm start`'s server process as a whole: migrations, demo seed (once), the fake WeChat, the
 * printed URLs, demo sign-in, graceful shutdown on SIGTERM, and a clear exit on a bad env.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, withDatabase } from '../src/platform/db.js';
import { makeHttp } from './harness.js';

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');
const databaseUrl = withDatabase(inject('mysqlServerUrl'), `hcp360_main_${randomBytes(4).toString('hex')}`);
// The demo seed writes media files; keep them out of the repository's .data/.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-main-test-'));
afterAll(async () => {
  await dropDatabase(databaseUrl);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startMain(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, MYSQL_URL: databaseUrl, PORT: '0', FAKE_WECHAT_PORT: '0', LOG_LEVEL: 'warn', WECHAT_APPID: '', DATA_DIR: dataDir, JWT_SECRET: 'main-test-secret-'.repeat(3), ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /API\s+(http:\/\/\S+)\/api/.exec(out);
      if (m?.[1]) (clearInterval(timer), resolve(m[1]));
    }, 100);
    child.once('exit', (code) => (clearInterval(timer), reject(new Error(`exited ${code}:\n${out}`))));
  });
  return { child, output: () => out, ready };
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('the server process (npm start)', () => {
  it('migrates, seeds the demo once, serves demo sign-in, and stops cleanly on SIGTERM', async () => {
    const first = startMain({});
    const base = await first.ready;
    expect(first.output()).toMatch(/Applied migrations: 1\.identity/);
    expect(first.output()).toMatch(/Seeded 7 staff accounts/);
    expect(first.output()).toMatch(/Seeding 48 demo doctors/);
    expect(first.output()).toMatch(/Fake WeChat\s+http:\/\/127\.0\.0\.1:\d+/);

    const http = makeHttp(base);
    expect((await http.get('/healthz')).body).toEqual({ ok: true });
    const { code } = (await http.post('/api/dev/wechat-code', { openid: 'demo-hcp-001' })).body;
    const login = await http.post('/api/auth/wechat-login', { code });
    const me = await http.get('/api/me', login.body.token);
    expect(me.body).toMatchObject({ verification: { status: 'verified' }, consents: { upToDate: true }, profile: { complete: true } });
    const staff = await http.post('/api/auth/staff-login', { username: 'compliance', password: 'hcp360-demo' });
    expect(staff.body.user.role).toBe('compliance');
    const pending = await http.get('/api/admin/verifications?status=pending', staff.body.token);
    expect(pending.body.items.length).toBeGreaterThan(0);

    const code0 = exited(first.child);
    first.child.kill('SIGTERM');
    expect(await code0).toBe(0);
    expect(first.output()).toMatch(/SIGTERM: finishing in-flight requests/);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    const second = startMain({});
    await second.ready;
    expect(second.output()).toMatch(/Database schema is up to date/);
    expect(second.output()).not.toMatch(/Seeding|Seeded/);
    const code1 = exited(second.child);
    second.child.kill('SIGTERM');
    expect(await code1).toBe(0);
  }, 90_000);

  it('exits with a message naming the variable when the environment is bad', async () => {
    const bad = startMain({ PORT: 'eighty' });
    await expect(bad.ready).rejects.toThrow(/exited 2:[\s\S]*PORT:/);
  });
});

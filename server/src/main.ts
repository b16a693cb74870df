/**
 * `npm start`: finds (or starts) MySQL/MariaDB, applies migrations, seeds demo data once,
 * starts the fake WeChat server when no real AppID is configured, serves the API and the h5
 * build on one port, prints the URLs and demo accounts, and shuts down gracefully on SIGTERM.
 */
import path from 'node:path';
import { seedDemoData } from './dev/seed.js';
import { startLiveJobs } from './domains/live/notices.js';
import { startEngine } from './domains/tags/engine.js';
import { ITEM_SOURCES } from './itemSources.js';
import { startFakeWechat, type FakeWechat } from './dev/fakeWechat.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { ensureDatabase, withDatabase } from './platform/db.js';
import { DatabaseNotFoundError, findDatabaseServer } from './platform/dbServer.js';
import { migrate } from './platform/migrate.js';
import { buildDeps, startServer } from './server.js';

const say = (msg: string) => process.stdout.write(`${msg}\n`);

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  const dbServer = await findDatabaseServer({ mysqlUrl: config.mysqlUrl, dataDir: config.dataDir, log: say });
  const databaseUrl = config.mysqlUrl ?? withDatabase(dbServer.serverUrl, 'hcp360');
  await ensureDatabase(databaseUrl);
  const { applied } = await migrate(databaseUrl);
  say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');

  let fake: FakeWechat | undefined;
  if (config.wechat.useFake) {
    fake = await startFakeWechat({ appid: config.wechat.appid, secret: config.wechat.secret, port: config.wechat.fakePort });
  }

  // With the fake, WeChat is wherever the fake actually listens (FAKE_WECHAT_PORT may be 0: any free port).
  const deps = buildDeps(fake ? { ...config, wechat: { ...config.wechat, apiBase: fake.url } } : config, databaseUrl);
  await seedDemoData(deps, say);
  const engine = startEngine(deps, { itemSources: ITEM_SOURCES });
  // Live-stream reminders and cancellation notices (safe on every instance: rows are claimed with SKIP LOCKED).
  const liveJobs = startLiveJobs(deps);

  const h5Dir = path.resolve(import.meta.dirname, '../../miniapp/dist/h5');
  const consoleDir = path.resolve(import.meta.dirname, '../console/dist');
  const server = await startServer(deps, { h5Dir, consoleDir, fakeWechatUrl: fake?.url });
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${server.port}`;
  say(
    [
      '',
      'HCP360 is running',
      `  API            ${base}/api   (health: ${base}/healthz)`,
      `  Mini-program   ${base}/h5/   (as a demo doctor: ${base}/h5/?openid=demo-hcp-001)`,
      `  Console        ${base}/console/   (marketing, compliance, medical, managers, admin)`,
      fake ? `  Fake WeChat    ${fake.url}` : `  WeChat         ${config.wechat.apiBase}`,
      `  Database       ${dbServer.source === 'private' ? 'private mariadbd in .data/mariadb' : databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`,
      '',
      'Demo staff accounts (the console, or POST /api/auth/staff-login):',
      `  admin, marketing, compliance, medical, manager, rep01, rep02   password: ${config.demoPassword === 'hcp360-demo' ? 'hcp360-demo' : '(DEMO_PASSWORD)'}`,
      'Demo doctors sign in through the fake WeChat with openids demo-hcp-001 … demo-hcp-048.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing in-flight requests …`);
    await engine.stop();
    await liveJobs.stop();
    await server.close();
    await fake?.close();
    await dbServer.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof DatabaseNotFoundError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

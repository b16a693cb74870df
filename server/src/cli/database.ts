/** Database and dependencies for command-line tools (recompute, generate, evaluate), found as `npm start` finds them. */
import { loadConfig } from '../platform/config.js';
import { ensureDatabase, withDatabase } from '../platform/db.js';
import { findDatabaseServer, type DatabaseServer } from '../platform/dbServer.js';
import type { Deps } from '../platform/deps.js';
import { migrate } from '../platform/migrate.js';
import { buildDeps } from '../server.js';

export async function cliDeps(): Promise<{ deps: Deps; databaseUrl: string; db: DatabaseServer; close(): Promise<void> }> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const db = await findDatabaseServer({ mysqlUrl: config.mysqlUrl, dataDir: config.dataDir, log: (m) => process.stderr.write(`${m}\n`) });
  const databaseUrl = config.mysqlUrl ?? withDatabase(db.serverUrl, 'hcp360');
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const deps = buildDeps(config, databaseUrl);
  return {
    deps,
    databaseUrl,
    db,
    async close() {
      await deps.pool.end();
      await db.stop();
    },
  };
}

/**
 * The MySQL pool. BIGINT ids come back as strings (TiDB's AUTO_RANDOM ids exceed 2^53) and
 * DATETIME values are read and written as UTC.
 */
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

export type { Pool, PoolConnection, ResultSetHeader, RowDataPacket };
/** Anything that can run a query: the pool or a connection inside a transaction. */
export type Db = Pool | PoolConnection;

export function createPool(url: string, connectionLimit = 10): Pool {
  return mysql.createPool({
    uri: url,
    connectionLimit,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    enableKeepAlive: true,
  });
}

/**
 * `work` run again when InnoDB chose it as a deadlock victim (ER_LOCK_DEADLOCK: the statement or
 * transaction was rolled back whole), at most `attempts` times in all; any other error at once.
 * Only for work that is safe to run again after such a rollback.
 */
export async function againOnDeadlock<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || (err as { code?: string }).code !== 'ER_LOCK_DEADLOCK') throw err;
    }
  }
}

/** Runs `work` in a transaction on one connection; commits on success, rolls back on error. */
export async function inTransaction<T>(pool: Pool, work: (conn: PoolConnection) => Promise<T>): Promise<T> {
  const conn = await pool.getConnection();
  const hooks: (() => void)[] = [];
  try {
    await conn.beginTransaction();
    commitHooks.set(conn, hooks);
    const result = await work(conn);
    await conn.commit();
    commitHooks.delete(conn);
    for (const hook of hooks) hook();
    return result;
  } catch (err) {
    commitHooks.delete(conn);
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

const commitHooks = new WeakMap<object, (() => void)[]>();

/**
 * Runs `hook` once what `db` wrote is committed: after the commit of the inTransaction it belongs
 * to (never, if it rolls back), or at once when `db` is not in one. For telling in-process
 * listeners (the tagger, caches) about a change only when other connections can see it.
 */
export function afterCommit(db: Db, hook: () => void): void {
  const hooks = commitHooks.get(db);
  if (hooks) hooks.push(hook);
  else hook();
}

/** `url` with its database path replaced (or removed, for server-level connections). */
export function withDatabase(url: string, database: string | null): string {
  const u = new URL(url);
  u.pathname = database ? `/${database}` : '/';
  return u.toString();
}

export function databaseOf(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`MYSQL_URL names no usable database: "${name}"`);
  return name;
}

/** Creates the database named in `url` if it does not exist. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  const conn = await mysql.createConnection({ uri: withDatabase(url, null) });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  const conn = await mysql.createConnection({ uri: withDatabase(url, null) });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

/**
 * `col1 = ?, col2 = ?` and its values, for UPDATEs over a known set of columns. Column names are
 * code, never input (checked here); values always go through placeholders.
 */
export function assignments(values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const cols = Object.keys(values);
  for (const c of cols) if (!/^[a-z_]+$/.test(c)) throw new Error(`bad column name ${c}`);
  return { sql: cols.map((c) => `\`${c}\` = ?`).join(', '), params: cols.map((c) => values[c]) };
}

/**
 * Applies server/migrations/*.sql with Postgrator (version table `schemaversion`, checksums
 * validated). Safe on every start and from several instances at once: a named lock
 * (GET_LOCK works on MySQL, MariaDB and TiDB) lets one instance migrate while others wait.
 * `target` stops at that version (tests of a migration's data copy); by default all are applied.
 */
import path from 'node:path';
import mysql from 'mysql2/promise';
import Postgrator from 'postgrator';
import { databaseOf } from './db.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');

export async function migrate(url: string, target?: string): Promise<{ applied: string[] }> {
  const conn = await mysql.createConnection({ uri: url, multipleStatements: true, timezone: 'Z' });
  try {
    const [lock] = await conn.query<mysql.RowDataPacket[]>("SELECT GET_LOCK('hcp360_migrate', 120) AS got");
    if (lock[0]?.got !== 1) throw new Error('Could not take the migration lock within 120 s');
    try {
      const postgrator = new Postgrator({
        migrationPattern: path.join(MIGRATIONS, '*.sql'),
        driver: 'mysql',
        database: databaseOf(url),
        schemaTable: 'schemaversion',
        execQuery: async (sql: string) => {
          const [rows] = await conn.query(sql);
          return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
        },
      });
      const applied = await postgrator.migrate(target);
      return { applied: applied.map((m) => `${m.version}.${m.name}`) };
    } finally {
      await conn.query("SELECT RELEASE_LOCK('hcp360_migrate')");
    }
  } finally {
    await conn.end();
  }
}

/**
 * The last resort of database discovery: with no server to use, `npm start` and the tests start a
 * private mariadbd with its data in .data/. This starts one for real in a temporary folder.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { startPrivateMariadb } from '../src/platform/dbServer.js';
import { migrate } from '../src/platform/migrate.js';
import { ensureDatabase, withDatabase } from '../src/platform/db.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('private mariadbd', () => {
  it('initialises a data folder, starts, takes migrations, and stops', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-private-db-'));
    const port = await freePort();
    const messages: string[] = [];
    const db = await startPrivateMariadb(dir, (m) => messages.push(m), port);
    try {
      expect(db.source).toBe('private');
      expect(fs.existsSync(path.join(dir, 'mariadb', 'mysql'))).toBe(true);
      const url = withDatabase(db.serverUrl, 'hcp360');
      await ensureDatabase(url);
      expect((await migrate(url)).applied.length).toBeGreaterThan(0);
      const conn = await mysql.createConnection({ uri: url });
      const [rows] = await conn.query<mysql.RowDataPacket[]>("SHOW TABLES LIKE 'hcps'");
      await conn.end();
      expect(rows).toHaveLength(1);
    } finally {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(messages).toContain(`Private mariadbd is up on 127.0.0.1:${port}`);
    await expect(mysql.createConnection({ uri: db.serverUrl, connectTimeout: 1000 })).rejects.toThrow();
  }, 90_000);
});

/**
 * Finds a MySQL/MariaDB server for `npm start` and the tests (DESIGN §9):
 *   1. MYSQL_URL, when set;
 *   2. else MariaDB/MySQL on 127.0.0.1:3306 as root without a password;
 *   3. else a private mariadbd with its data in .data/mariadb, started now and stopped on exit;
 *   4. else a clear message saying how to install MariaDB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { withDatabase } from './db.js';

export interface DatabaseServer {
  /** Server URL with no database in the path. */
  serverUrl: string;
  /** Where it came from, for the start-up banner. */
  source: 'MYSQL_URL' | 'local' | 'private';
  stop(): Promise<void>;
}

export class DatabaseNotFoundError extends Error {}

const LOCAL_URL = 'mysql://root@127.0.0.1:3306/';
const PRIVATE_PORT = 3307;

async function answers(url: string): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
    await conn.query('SELECT 1');
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

export async function findDatabaseServer(opts: { mysqlUrl?: string; dataDir: string; log?: (msg: string) => void }): Promise<DatabaseServer> {
  const log = opts.log ?? (() => undefined);
  if (opts.mysqlUrl) {
    const serverUrl = withDatabase(opts.mysqlUrl, null);
    if (!(await answers(serverUrl))) {
      throw new DatabaseNotFoundError(`MYSQL_URL is set but the server does not answer: ${redact(serverUrl)}`);
    }
    return { serverUrl, source: 'MYSQL_URL', stop: async () => undefined };
  }
  if (await answers(LOCAL_URL)) return { serverUrl: LOCAL_URL, source: 'local', stop: async () => undefined };
  log('No MariaDB on 127.0.0.1:3306; starting a private mariadbd in .data/mariadb …');
  return startPrivateMariadb(opts.dataDir, log);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function which(names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
  for (const name of names) {
    for (const dir of dirs) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

const INSTALL_HINT =
  'No MySQL/MariaDB server found. Install MariaDB (Debian/Ubuntu: `apt-get install -y mariadb-server`, ' +
  'then `service mariadb start`), or point MYSQL_URL at a server, e.g. MYSQL_URL=mysql://root@127.0.0.1:3306/hcp360';

/** Starts (initialising on first use) a private mariadbd with its data in `dataDir/mariadb`. */
export async function startPrivateMariadb(dataDir: string, log: (msg: string) => void, port = PRIVATE_PORT): Promise<DatabaseServer> {
  const mariadbd = which(['mariadbd', 'mysqld']);
  const installDb = which(['mariadb-install-db', 'mysql_install_db']);
  if (!mariadbd || !installDb) throw new DatabaseNotFoundError(INSTALL_HINT);

  const dir = path.resolve(dataDir, 'mariadb');
  const socket = path.join(dir, 'mysqld.sock');
  if (!fs.existsSync(path.join(dir, 'mysql'))) {
    fs.mkdirSync(dir, { recursive: true });
    const init = spawnSync(
      installDb,
      // --no-defaults: the system my.cnf (user=mysql, log files under /var/log) is for the system server.
      ['--no-defaults', `--datadir=${dir}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${os.userInfo().username}`],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new DatabaseNotFoundError(`mariadb-install-db failed:\n${init.stdout}\n${init.stderr}\n${INSTALL_HINT}`);
    }
  }
  const child: ChildProcess = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${dir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--user=${os.userInfo().username}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const serverUrl = `mysql://root@127.0.0.1:${port}/`;
  for (let i = 0; i < 60; i++) {
    if (child.exitCode !== null) throw new DatabaseNotFoundError(`mariadbd exited:\n${stderr}`);
    if ((await portOpen(port)) && (await answers(serverUrl))) {
      log(`Private mariadbd is up on 127.0.0.1:${port}`);
      const stop = async () => {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      };
      process.once('exit', () => child.kill('SIGTERM'));
      return { serverUrl, source: 'private', stop };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGKILL');
  throw new DatabaseNotFoundError(`mariadbd did not start within 30 s:\n${stderr}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Runs once before the server and e2e suites: finds the MySQL/MariaDB server the same way
 * `npm start` does (starting a private mariadbd when none is running) and hands its URL to the
 * test files, each of which creates and drops its own database.
 */
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findDatabaseServer } from '../src/platform/dbServer.js';

// The ProvidedContext augmentation (mysqlServerUrl) lives in harness.ts.
import type {} from './harness.js';

export default async function setup(project: TestProject) {
  const server = await findDatabaseServer({
    mysqlUrl: process.env.MYSQL_URL,
    dataDir: process.env.DATA_DIR ?? path.join(os.tmpdir(), 'hcp360-test-data'),
    log: (m) => process.stdout.write(`${m}\n`),
  });
  project.provide('mysqlServerUrl', server.serverUrl);
  return async () => {
    await server.stop();
  };
}

#!/usr/bin/env node
/**
 * `npm start`: builds what is stale (shared/, the h5 app, the staff console, the weapp package), then runs the
 * server, which finds the database, migrates, seeds the demo, starts the fake WeChat and prints
 * the URLs. Ctrl-C / SIGTERM stop it gracefully.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildConsole, buildH5, buildShared, buildWeapp, ROOT } from './lib/builds.mjs';

buildShared();
buildH5();
buildConsole();
buildWeapp();

const server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], { stdio: 'inherit', cwd: ROOT });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

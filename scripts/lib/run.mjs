#!/usr/bin/env node
/** Runs a TypeScript entry point of the server after building what is stale: `node scripts/lib/run.mjs <file.ts> [args…]`. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildShared, ROOT } from './builds.mjs';

buildShared();
const [entry, ...args] = process.argv.slice(2);
const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(ROOT, entry), ...args], { stdio: 'inherit', cwd: ROOT });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

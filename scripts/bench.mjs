#!/usr/bin/env node
/** `npm run bench`: runs every bench/*.bench.ts in turn; each prints its figure and its same-run baseline. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildShared, ROOT } from './lib/builds.mjs';

buildShared();
const dir = path.join(ROOT, 'bench');
let failed = 0;
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  process.stdout.write(`\n== ${file.replace('.bench.ts', '')} ==\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
/**
 * `npm test`: every suite in one command. Builds what is stale, type-checks the three packages,
 * runs all Vitest projects (shared, miniapp, console, server on a real MariaDB, e2e in Chromium) and
 * ends with the totals on a line of their own: "N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildConsole, buildH5, buildShared, ROOT } from './lib/builds.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
  process.stderr.write(
    `Chromium is needed for the end-to-end tests but ${CHROMIUM} does not exist.\n` +
      'Install it with:  apt-get update && apt-get install -y chromium\n' +
      '(or set CHROMIUM_PATH to a Chromium binary).\n',
  );
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

buildShared();
buildH5();
buildConsole();

process.stdout.write('Type-checking shared, server, the console, miniapp and tests …\n');
for (const project of ['shared', 'server', 'server/console', 'miniapp', 'tests']) {
  const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', project, '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) {
    process.stderr.write(`${res.stdout}${res.stderr}\nType errors in ${project}/.\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
}

const report = path.join(ROOT, '.test-results', 'vitest.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const vitest = spawnSync(
  path.join(ROOT, 'node_modules/.bin/vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: CHROMIUM } },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + suitesThatFailedToRun(results);
} catch {
  failed = 1;
}
if (vitest.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);

/** A file that failed without any failed test (it did not load, or a hook threw) counts as one failure. */
function suitesThatFailedToRun(results) {
  return results.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
}

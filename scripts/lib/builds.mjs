/**
 * Builds that `npm start` and `npm test` need, each done only when its inputs changed since the
 * last build (a stamp file records the newest input time).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (p.endsWith('node_modules') || p.endsWith(`${path.sep}dist`)) return;
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of paths) walk(path.join(ROOT, p));
  return newest;
}

function run(cmd, args, cwd, label) {
  const started = Date.now();
  process.stdout.write(`${label} …\n`);
  // Builds are production builds whoever asks (Vitest sets NODE_ENV=test, which Taro would not minify).
  const res = spawnSync(cmd, args, { cwd: path.join(ROOT, cwd), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (res.status !== 0) {
    process.stderr.write(`${res.stdout}\n${res.stderr}\n${label} failed.\n`);
    process.exit(res.status ?? 1);
  }
  process.stdout.write(`${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Runs `build` when any of `inputs` is newer than the stamp (or the output is missing). */
function buildIfStale(name, inputs, output, build) {
  const stamp = path.join(ROOT, '.data', 'stamps', `${name}.json`);
  const newest = newestMtime(inputs);
  let recorded = -1;
  try {
    recorded = JSON.parse(fs.readFileSync(stamp, 'utf8')).newest;
  } catch {
    // never built
  }
  if (recorded === newest && fs.existsSync(path.join(ROOT, output))) return false;
  build();
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, JSON.stringify({ newest }));
  return true;
}

const TSC = path.join(ROOT, 'node_modules/.bin/tsc');
const TARO = path.join(ROOT, 'node_modules/.bin/taro');

export function buildShared() {
  buildIfStale('shared', ['shared/src', 'shared/tsconfig.json'], 'shared/dist/index.js', () =>
    run(TSC, ['-p', 'shared'], '.', 'Building shared/'),
  );
}

const MINIAPP_INPUTS = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'shared/src'];

export function buildH5() {
  buildIfStale('h5', MINIAPP_INPUTS, 'miniapp/dist/h5/index.html', () =>
    run(TARO, ['build', '--type', 'h5'], 'miniapp', 'Building the mini-program for h5 (browser)'),
  );
}

const VITE = path.join(ROOT, 'node_modules/.bin/vite');

/** The staff console (server/console, React + Vite) into server/console/dist, served at /console/. */
export function buildConsole() {
  buildIfStale('console', ['server/console/src', 'server/console/index.html', 'server/console/vite.config.ts', 'shared/src'], 'server/console/dist/index.html', () =>
    run(VITE, ['build', '--logLevel', 'error'], 'server/console', 'Building the staff console'),
  );
}

export function buildWeapp() {
  buildIfStale('weapp', MINIAPP_INPUTS, 'miniapp/dist/weapp/app.json', () =>
    run(TARO, ['build', '--type', 'weapp'], 'miniapp', 'Building the mini-program for WeChat (weapp)'),
  );
}

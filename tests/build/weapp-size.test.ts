/**
 * The WeChat build stays well inside WeChat's package limits: the main package under 1 MB (our
 * own budget; WeChat's hard limit is 2 MB per package).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGES } from '../../server/src/dev/fakeWechat.js';
// @ts-expect-error plain ESM helper shared with npm start
import { buildWeapp } from '../../scripts/lib/builds.mjs';

const WEAPP = path.resolve(import.meta.dirname, '../../miniapp/dist/weapp');
const BUDGET = 1024 * 1024;

function sizeOf(dir: string, skip: Set<string>): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(path.relative(WEAPP, p))) total += sizeOf(p, skip);
    } else if (!entry.name.endsWith('.map') && !entry.name.endsWith('.LICENSE.txt')) total += fs.statSync(p).size;
  }
  return total;
}

describe('the weapp build', () => {
  it('builds, and its main package is under 1 MB', () => {
    buildWeapp();
    const app = JSON.parse(fs.readFileSync(path.join(WEAPP, 'app.json'), 'utf8'));
    const subpackageRoots = new Set<string>((app.subPackages ?? app.subpackages ?? []).map((s: { root: string }) => s.root.replace(/\/$/, '')));
    const main = sizeOf(WEAPP, subpackageRoots);
    process.stdout.write(`weapp main package: ${(main / 1024).toFixed(1)} KiB (budget ${BUDGET / 1024} KiB)\n`);
    expect(main).toBeGreaterThan(10 * 1024);
    expect(main).toBeLessThan(BUDGET);
    expect(app.pages).toContain('pages/index/index');
  });

  it('lists exactly the pages the fake WeChat server accepts (41030 for any other)', () => {
    buildWeapp();
    const app = JSON.parse(fs.readFileSync(path.join(WEAPP, 'app.json'), 'utf8'));
    const pages = [...app.pages, ...(app.subPackages ?? app.subpackages ?? []).flatMap((s: { root: string; pages: string[] }) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))];
    expect([...pages].sort()).toEqual([...DEFAULT_PAGES].sort());
  });
});

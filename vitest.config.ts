import { defineConfig } from 'vitest/config';

/**
 * One runner for every suite. `npm test` (scripts/test.mjs) runs these projects and prints
 * the combined "N passed, N failed" line CI reads.
 *   shared   — schemas and vocabulary (unit)
 *   miniapp  — the mini-program's platform-free logic (jsdom)
 *   console  — the staff console's plain logic (the segment rule builder)
 *   server   — the Koa app over HTTP on a real MariaDB, with the fake WeChat as a real server;
 *              each test file gets its own database, so files run in parallel
 *   e2e      — Chromium (playwright-core) driving the h5 build and the API; one file at a time
 */
const sharedSrc = new URL('./shared/src/index.ts', import.meta.url).pathname;

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'shared', root: './shared', include: ['src/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } },
      },
      {
        test: { name: 'miniapp', root: './miniapp', include: ['src/**/*.test.{ts,tsx}'], environment: 'jsdom', sequence: { groupOrder: 1 } },
        resolve: { alias: { '@hcp360/shared': sharedSrc } },
      },
      {
        test: { name: 'console', root: './server/console', include: ['src/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 1 } },
        resolve: { alias: { '@hcp360/shared': sharedSrc } },
      },
      {
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/globalSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 3,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'e2e',
          root: './tests',
          include: ['e2e/**/*.test.ts', 'build/**/*.test.ts', 'fault/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['../server/test/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});

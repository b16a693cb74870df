import { defineConfig } from 'vitest/config';

/**
 * One runner for every suite. `npm test` (scripts/test.mjs) runs these projects and prints
 * the combined "N passed, N failed" line CI reads.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          root: './shared',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'miniapp',
          root: './miniapp',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
        resolve: { alias: { '@hcp360/shared': new URL('./shared/src/index.ts', import.meta.url).pathname } },
      },
    ],
  },
});

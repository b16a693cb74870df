import { defineConfig } from 'vite';

/**
 * The console is served by the BFF at /console/ (server/src/app.ts), from dist/. JSX is compiled
 * by Vite's own esbuild (React's automatic runtime); no plugin is needed for a production build.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/media': 'http://127.0.0.1:3000' } },
});

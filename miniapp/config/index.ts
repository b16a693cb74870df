import path from 'node:path';
import { defineConfig } from '@tarojs/cli';

// npm workspaces keep some Taro packages under miniapp/node_modules (not hoisted), while
// hoisted Taro packages import them; let webpack look in both places.
const localModules = path.resolve(__dirname, '../node_modules');
const sharedSrc = path.resolve(__dirname, '../../shared/src');

// shared/ is NodeNext TypeScript: its relative imports end in .js but the files are .ts.
function resolveWorkspace(chain: any) {
  chain.resolve.modules.add(localModules).add('node_modules');
  chain.merge({ resolve: { extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } } });
}

// API origin baked into the bundle. The h5 build is served by the backend itself, so it calls
// relative /api/... URLs; the weapp build needs an absolute origin (a configured HTTPS domain
// in production), taken from TARO_APP_API_BASE at build time.
const apiBase =
  process.env.TARO_ENV === 'h5' ? '' : (process.env.TARO_APP_API_BASE ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

export default defineConfig({
  projectName: 'hcp360',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  framework: 'react',
  compiler: 'webpack5',
  alias: { '@hcp360/shared': sharedSrc },
  env: { TARO_APP_API_BASE: JSON.stringify(apiBase) },
  mini: { compile: { include: [sharedSrc] }, webpackChain: resolveWorkspace },
  // The h5 page's rem base, loaded by src/index.html before the app (publicPath /h5/).
  ...(process.env.TARO_ENV === 'h5' && { copy: { patterns: [{ from: 'src/rem.js', to: 'dist/h5/rem.js' }], options: {} } }),
  h5: {
    publicPath: '/h5/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    compile: { include: [sharedSrc] },
    webpackChain: resolveWorkspace,
  },
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/hcp360-config-test' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.wechat).toMatchObject({ useFake: true, fakePort: 3001, apiBase: 'http://127.0.0.1:3001' });
    expect(c.demoPassword).toBe('hcp360-demo');
    expect(c.jwt.accessTtlSeconds).toBe(900);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['MYSQL_URL', { MYSQL_URL: 'postgres://x/y' }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['WECHAT_API_BASE', { WECHAT_API_BASE: 'not a url' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['WECHAT_SECRET', { WECHAT_APPID: 'wx123' }],
  ])('names %s when its value is bad', (name, env) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(new RegExp(`\\b${name}:`));
  });

  it('demands JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/x' })).toThrow(/JWT_SECRET: required in production/);
  });

  it('uses the real WeChat host once an AppID is configured', () => {
    const c = loadConfig({ ...base, WECHAT_APPID: 'wx123', WECHAT_SECRET: 's' });
    expect(c.wechat).toMatchObject({ useFake: false, apiBase: 'https://api.weixin.qq.com', appid: 'wx123' });
  });
});

import { describe, expect, it } from 'vitest';
import { attributionFromQuery, buildSharePath, normaliseRoute, parseQueryString, queryFromLocation } from './attribution';

describe('share paths', () => {
  it('carries the sharer, the channel and a share id in the query', () => {
    expect(buildSharePath('/pages/index/index', { inviter: '7', shareId: 'sh-1', from: 'chat' })).toBe(
      '/pages/index/index?inviter=7&from=chat&share_id=sh-1',
    );
  });

  it('keeps the page’s own query, replaces a forwarded share’s inviter, and works without a sharer', () => {
    expect(buildSharePath('pages/content/index?id=42&inviter=3&share_id=old', { shareId: 'sh-2', from: 'chat' })).toBe(
      '/pages/content/index?id=42&from=chat&share_id=sh-2',
    );
  });

  it('round-trips through the launch query', () => {
    const path = buildSharePath('/pages/index/index', { inviter: 'rep-7', shareId: 'sh-3', from: 'chat' });
    expect(attributionFromQuery(parseQueryString(path.split('?')[1]!))).toEqual({ inviter: 'rep-7', share_id: 'sh-3' });
  });
});

describe('launch attribution', () => {
  it('takes inviter and share id only when they are valid event tokens', () => {
    expect(attributionFromQuery({ inviter: '42', share_id: 'sh-x' })).toEqual({ inviter: '42', share_id: 'sh-x' });
    expect(attributionFromQuery({ inviter: 'a b<script>', share_id: 'x'.repeat(65) })).toEqual({});
    expect(attributionFromQuery({ inviter: 42 })).toEqual({});
    expect(attributionFromQuery(undefined)).toEqual({});
  });

  it('decodes URL-encoded values (WeChat hands some queries over encoded)', () => {
    expect(attributionFromQuery({ inviter: 'rep%3A7' })).toEqual({ inviter: 'rep:7' });
  });

  it('reads the h5 query both before the hash and inside the hash route', () => {
    expect(queryFromLocation('?openid=demo-hcp-001', '#/pages/index/index?inviter=7&from=chat')).toEqual({
      openid: 'demo-hcp-001',
      inviter: '7',
      from: 'chat',
    });
    expect(queryFromLocation('', '')).toEqual({});
  });

  it('normalises routes to the envelope page form', () => {
    expect(normaliseRoute('/pages/index/index?stamp=1')).toBe('pages/index/index');
    expect(normaliseRoute('#/pages/me/index')).toBe('pages/me/index');
    expect(normaliseRoute('pages/consent/index')).toBe('pages/consent/index');
  });
});

/**
 * Where WeChat login codes come from. In WeChat: wx.login. In the browser build (preview and
 * e2e): the backend's dev route, which asks the fake WeChat server for a code for this
 * device's openid. The API client calls this whenever it needs to (re)log in.
 */
import Taro from '@tarojs/taro';
import type { ApiClient, KeyValueStorage } from './apiClient';
import { ApiError } from './apiError';
import { queryChangesDevOpenid, resolveDevOpenid } from './devIdentity';

async function weappLoginCode(): Promise<string> {
  const { code } = await Taro.login();
  if (!code) throw new ApiError(0, 'WECHAT_LOGIN_FAILED');
  return code;
}

function locationSearch(): string {
  return typeof window === 'undefined' ? '' : window.location.search;
}

async function devLoginCode(client: Pick<ApiClient, 'request'>, storage: KeyValueStorage): Promise<string> {
  const openid = resolveDevOpenid(locationSearch(), storage);
  const { code } = await client.request<{ code: string }>({
    method: 'POST',
    path: '/api/dev/wechat-code',
    body: { openid },
    auth: false,
  });
  return code;
}

export function getLoginCode(client: Pick<ApiClient, 'request'>, storage: KeyValueStorage): Promise<string> {
  return process.env.TARO_ENV === 'h5' ? devLoginCode(client, storage) : weappLoginCode();
}

/** Browser build only: whether `?openid=` switched doctors since the stored session was made. */
export function devIdentitySwitched(storage: KeyValueStorage): boolean {
  return process.env.TARO_ENV === 'h5' && queryChangesDevOpenid(locationSearch(), storage);
}

/**
 * Who brought a doctor in, read from and written into mini-program paths. Shares carry the
 * sharer and a fresh share id in the path query (`?inviter=…&from=…&share_id=…`, WECHAT.md); the
 * launch query gives them back to the app that opens. Pure: no Taro, no URLSearchParams (not in
 * every WeChat base library).
 */

const TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface Attribution {
  inviter?: string;
  share_id?: string;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** `a=1&b=2` (with or without a leading `?`) as an object; later keys win. */
export function parseQueryString(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of query.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    if (key) out[key] = decode(eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

/**
 * The h5 build's launch query: `/h5/?openid=…#/pages/index/index?inviter=…` has parameters
 * both before the hash and in the hash route; the hash route's win.
 */
export function queryFromLocation(search: string, hash: string): Record<string, string> {
  const q = hash.indexOf('?');
  return { ...parseQueryString(search), ...(q < 0 ? {} : parseQueryString(hash.slice(q + 1))) };
}

/** Inviter and share id from a launch query, each only if it is a valid event token. */
export function attributionFromQuery(query: Record<string, unknown> | undefined): Attribution {
  const out: Attribution = {};
  const pick = (name: string): string | undefined => {
    const raw = query?.[name];
    if (typeof raw !== 'string') return undefined;
    const value = decode(raw).trim();
    return TOKEN.test(value) ? value : undefined;
  };
  const inviter = pick('inviter');
  const shareId = pick('share_id');
  if (inviter) out.inviter = inviter;
  if (shareId) out.share_id = shareId;
  return out;
}

/** A route as the envelope's `page`: no leading slash, query or hash (`pages/index/index`). */
export function normaliseRoute(route: string): string {
  return route.replace(/^[#/]+/, '').split(/[?#]/)[0] ?? '';
}

export interface ShareParams {
  /** The sharer's id; omitted when not signed in. */
  inviter?: string;
  shareId: string;
  /** The share channel, e.g. 'chat'. */
  from: string;
}

/** `path` with inviter, from and share_id added to its query (replacing any already there). */
export function buildSharePath(path: string, { inviter, shareId, from }: ShareParams): string {
  const [base = '', existing = ''] = path.split('?', 2);
  const params = parseQueryString(existing);
  delete params.inviter;
  delete params.from;
  delete params.share_id;
  if (inviter) params.inviter = inviter;
  params.from = from;
  params.share_id = shareId;
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${base.startsWith('/') ? base : `/${base}`}?${query}`;
}

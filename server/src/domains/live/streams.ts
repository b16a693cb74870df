/**
 * What compliance approval hands out (DESIGN §6): a stream key (a random secret), the RTMP push
 * URL from the configured ingest base, the play URL (HLS from the playback base; in the demo, a
 * sample video the server plays as the "stream"), and posters: a PNG composed with sharp from an
 * SVG (title, time, speakers) and the mini-program code WeChat makes for a short scene token that
 * resolves to the live stream and the rep who shares it.
 */
import { randomBytes } from 'node:crypto';
import { encodeInviter, type LiveSpeaker } from '@hcp360/shared';
import sharp from 'sharp';
import type { Db } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { WechatApiError } from '../../platform/wechat.js';
import { saveMedia } from '../content/mediaStore.js';
import { insertScene, sceneFor, type LiveRow } from './repo.js';

/** The mini-program page a poster code and a share card open (must be in app.json). */
export const LIVE_PAGE = 'pages/live/index';
/** Where the demo serves its sample "stream" when no playback base is configured. */
export const DEMO_STREAM_PREFIX = '/live-demo/';

/** Poster layout (px). The code sits at QR_LEFT/QR_TOP, QR_SIZE square, pixel for pixel as WeChat made it. */
export const POSTER = { width: 750, height: 1200, qrLeft: 235, qrTop: 830, qrSize: 280 } as const;

export interface StreamFacts {
  streamName: string;
  streamKey: string;
  pushUrl: string;
  playUrl: string;
}

export function makeStream(config: Deps['config']): StreamFacts {
  const streamName = `hcp${randomBytes(8).toString('hex')}`;
  const streamKey = randomBytes(24).toString('base64url');
  return {
    streamName,
    streamKey,
    pushUrl: `${config.live.ingestBase}/${streamName}?key=${streamKey}`,
    playUrl: config.live.playbackBase ? `${config.live.playbackBase}/${streamName}.m3u8` : `${DEMO_STREAM_PREFIX}${streamName}.mp4`,
  };
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** China time (UTC+8, no DST), as posters and reminders print it: 2026-12-01 20:00. */
export function chinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** Splits text into lines of at most `n` characters (CJK text has no spaces to break at). */
function lines(text: string, n: number, max: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length && out.length < max; i += n) out.push(chars.slice(i, i + n).join(''));
  if (chars.length > n * max) out[max - 1] = `${[...out[max - 1]!].slice(0, n - 1).join('')}…`;
  return out;
}

/** The poster PNG: the SVG text layer with the code composited in. */
export async function composePoster(p: { title: string; startAt: number; endAt: number; speakers: LiveSpeaker[]; qr: Buffer }): Promise<Buffer> {
  const font = `font-family="Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, WenQuanYi Micro Hei, Droid Sans Fallback, sans-serif"`;
  const titleLines = lines(p.title, 14, 3)
    .map((l, i) => `<text x="60" y="${210 + i * 64}" ${font} font-size="48" font-weight="700" fill="#ffffff">${escapeXml(l)}</text>`)
    .join('');
  const time = `${chinaTime(p.startAt)} – ${chinaTime(p.endAt).slice(11)}`;
  const speakers = p.speakers
    .slice(0, 4)
    .map((s, i) => `<text x="60" y="${520 + i * 56}" ${font} font-size="30" fill="#1d2129">${escapeXml(`${s.name}　${s.title}`)}<tspan x="60" dy="26" font-size="22" fill="#4e5969">${escapeXml(s.hospital)}</tspan></text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${POSTER.width}" height="${POSTER.height}" viewBox="0 0 ${POSTER.width} ${POSTER.height}">
    <rect width="100%" height="100%" fill="#f4f6f8"/>
    <rect width="100%" height="420" fill="#0b7a84"/>
    <text x="60" y="110" ${font} font-size="30" fill="#d6f0f2">HCP360 学术直播</text>
    ${titleLines}
    <text x="60" y="470" ${font} font-size="30" fill="#0b7a84">${escapeXml(time)}（北京时间）</text>
    ${speakers}
    <rect x="${POSTER.qrLeft - 20}" y="${POSTER.qrTop - 20}" width="${POSTER.qrSize + 40}" height="${POSTER.qrSize + 40}" rx="16" fill="#ffffff"/>
    <text x="${POSTER.width / 2}" y="${POSTER.qrTop + POSTER.qrSize + 70}" ${font} font-size="26" fill="#4e5969" text-anchor="middle">长按识别小程序码，报名并接收开播提醒</text>
  </svg>`;
  const qr = await sharp(p.qr).resize(POSTER.qrSize, POSTER.qrSize, { fit: 'fill' }).png().toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: qr, left: POSTER.qrLeft, top: POSTER.qrTop }])
    .png()
    .toBuffer();
}

/** A scene token: 10 URL-safe characters, well inside WeChat's 32. */
const newToken = () => randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10);

/** The mini-program path a share card from `repId` (or marketing) opens. */
export function sharePathOf(liveId: string, repId: string | null): string {
  return `${LIVE_PAGE}?id=${liveId}${repId ? `&inviter=${encodeInviter({ kind: 'rep', id: repId })}` : ''}`;
}

/**
 * The poster of `live` for `repId` (null for marketing's own), made once: a scene token, the code
 * from getwxacodeunlimit, the composed PNG in the media store. WeChat's refusals (45009 daily
 * limit, 41030 page) become 503 WECHAT_UNAVAILABLE with the errcode, so the caller's transaction
 * rolls back and the step can be retried.
 */
export async function ensurePoster(
  deps: Pick<Deps, 'wechat' | 'config'>,
  db: Db,
  live: Pick<LiveRow, 'id' | 'title' | 'start_at' | 'end_at'>,
  speakers: LiveSpeaker[],
  repId: string | null,
  now: number,
): Promise<{ token: string; posterUrl: string }> {
  const existing = await sceneFor(db, live.id, repId);
  if (existing) return { token: existing.token, posterUrl: `/media/${existing.poster_name}` };
  const token = newToken();
  let qr: Buffer;
  try {
    qr = await deps.wechat.getUnlimitedQrCode({ scene: token, page: LIVE_PAGE, width: POSTER.qrSize, check_path: true, env_version: deps.config.env === 'production' ? 'release' : 'develop' });
  } catch (err) {
    if (err instanceof WechatApiError) {
      throw new AppError('WECHAT_UNAVAILABLE', `WeChat refused the mini-program code (errcode ${err.errcode}); retry later.`, { errcode: err.errcode });
    }
    throw err;
  }
  const png = await composePoster({ title: live.title, startAt: live.start_at.getTime(), endAt: live.end_at.getTime(), speakers, qr });
  const name = await saveMedia(db, deps.config.dataDir, { bytes: png, ext: 'png', width: POSTER.width, height: POSTER.height, uploadedBy: repId }, now);
  await insertScene(db, { token, liveId: live.id, repId, posterName: name }, now);
  return { token, posterUrl: `/media/${name}` };
}

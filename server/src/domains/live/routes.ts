/**
 * Live streams for doctors (DESIGN §7): GET /api/lives, GET /api/lives/:id,
 * POST /api/lives/:id/registrations, and GET /api/lives/scenes/:token (a poster code's scene).
 * Also the demo "stream": with no playback base configured, GET /live-demo/<name>.mp4 plays a
 * short generated sample video for any stream name a compliance approval made. With the fake
 * WeChat (development, tests), POST /api/dev/wechat-subscribe stands in for the subscription
 * prompt the browser build does not have.
 */
import { IdParam, LiveRegisterInput, SceneParam } from '@hcp360/shared';
import Router from '@koa/router';
import { z } from 'zod';
import { principalOf, requireDoctor } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, parseOrThrow } from '../../platform/errors.js';
import type { RowDataPacket } from '../../platform/db.js';
import { sampleVideo } from '../../dev/sampleVideo.js';
import { openidOf } from '../identity/service.js';
import { liveForDoctor, livesForDoctor, registerForLive, resolveScene } from './registrations.js';

let demoVideo: Buffer | undefined;

export function liveRoutes(deps: Deps, opts: { fakeWechatUrl?: string } = {}): Router {
  const router = new Router();

  if (opts.fakeWechatUrl) {
    const fake = opts.fakeWechatUrl;
    // Development only: the h5 build has no wx.requestSubscribeMessage, so the page asks the fake
    // WeChat to record the one-time subscription the doctor would have accepted.
    router.post('/api/dev/wechat-subscribe', requireDoctor(), async (ctx) => {
      const { templateId } = parseOrThrow(z.strictObject({ templateId: z.string().min(1).max(64) }), ctx.request.body);
      const openid = await openidOf(deps.pool, deps.config.wechat.appid, principalOf(ctx).id);
      if (!openid) throw new AppError('NOT_FOUND', 'This doctor has no WeChat identity.');
      const res = await fetch(`${fake}/__fake/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, template_id: templateId }) });
      if (!res.ok) throw new AppError('WECHAT_UNAVAILABLE', 'The fake WeChat did not record the subscription.');
      ctx.body = { [templateId]: 'accept' };
    });
  }

  router.get('/api/lives', requireDoctor(), async (ctx) => {
    ctx.body = await livesForDoctor(deps, principalOf(ctx).id);
  });
  router.get('/api/lives/scenes/:token', requireDoctor(), async (ctx) => {
    const { token } = parseOrThrow(SceneParam, ctx.params);
    ctx.body = await resolveScene(deps, token);
  });
  router.get('/api/lives/:id', requireDoctor(), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await liveForDoctor(deps, principalOf(ctx).id, id);
  });
  router.post('/api/lives/:id/registrations', requireDoctor(), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const input = parseOrThrow(LiveRegisterInput, ctx.request.body ?? {});
    ctx.body = await registerForLive(deps, principalOf(ctx).id, id, input);
  });

  if (!deps.config.live.playbackBase) {
    router.get('/live-demo/:file', async (ctx) => {
      const m = /^(hcp[0-9a-f]{16})\.mp4$/.exec(ctx.params.file ?? '');
      const [rows] = m ? await deps.pool.query<RowDataPacket[]>("SELECT id FROM lives WHERE stream_name = ? AND status = 'scheduled'", [m[1]]) : [[]];
      if (!m || rows.length === 0) throw new AppError('NOT_FOUND', 'No such stream.');
      // Twelve seconds of colour, played on loop by the page: enough to watch the flow end to end without a media server.
      demoVideo ??= sampleVideo(['#0b7a84', '#1f618d', '#117a65', '#7d3c98', '#c0392b', '#d35400', '#0b7a84', '#1f618d', '#117a65', '#7d3c98', '#c0392b', '#d35400']);
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Accept-Ranges', 'bytes');
      ctx.type = 'video/mp4';
      const range = /^bytes=(\d+)-(\d*)$/.exec(ctx.get('range'));
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), demoVideo.length - 1) : demoVideo.length - 1;
        if (start <= end) {
          ctx.status = 206;
          ctx.set('Content-Range', `bytes ${start}-${end}/${demoVideo.length}`);
          ctx.body = demoVideo.subarray(start, end + 1);
          return;
        }
      }
      ctx.body = demoVideo;
    });
  }
  return router;
}

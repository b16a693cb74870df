/**
 * POST /api/admin/uploads (marketing): the raw image bytes as the request body, up to 5 MB (the
 * only route that takes more than the 256 KB JSON limit, and the only /api/ route that takes a
 * non-JSON body). Any declared Content-Type is accepted: the magic bytes decide.
 * GET /media/:name serves stored files to anyone (names are 128-bit random), cached for a year
 * (a name's bytes never change), with byte ranges for video players.
 */
import fs from 'node:fs';
import { MAX_UPLOAD_BYTES } from '@hcp360/shared';
import Router from '@koa/router';
import { principalOf, requireStaff } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { readRawBody } from '../../platform/imageUpload.js';
import { mediaFile, storeImage } from './mediaStore.js';

export const UPLOAD_PATH = '/api/admin/uploads';

export function mediaRoutes(deps: Deps): Router {
  const router = new Router();

  router.post(UPLOAD_PATH, requireStaff('marketing'), async (ctx) => {
    const bytes = await readRawBody(ctx, MAX_UPLOAD_BYTES);
    ctx.status = 201;
    ctx.body = await storeImage(deps.pool, deps.config.dataDir, bytes, principalOf(ctx).id, deps.clock());
  });

  router.get('/media/:name', async (ctx) => {
    const media = mediaFile(deps.config.dataDir, ctx.params.name ?? '');
    const stat = media && (await fs.promises.stat(media.file).catch(() => undefined));
    if (!media || !stat?.isFile()) throw new AppError('NOT_FOUND', 'No such file.');
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    // The console and the h5 preview may run on another origin in development.
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Accept-Ranges', 'bytes');
    ctx.type = media.contentType;
    const range = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('range'));
    const start = range?.[1] ? Number(range[1]) : range?.[2] ? Math.max(0, stat.size - Number(range[2])) : 0;
    const end = range?.[1] && range[2] ? Math.min(Number(range[2]), stat.size - 1) : stat.size - 1;
    // One byte range, as video players ask (iOS plays no video without them); an unsatisfiable
    // range is ignored and the whole file sent, as RFC 9110 allows.
    if (range && (range[1] || range[2]) && start <= end) {
      ctx.status = 206;
      ctx.body = fs.createReadStream(media.file, { start, end });
      ctx.set('Content-Range', `bytes ${start}-${end}/${stat.size}`);
      ctx.length = end - start + 1;
      return;
    }
    ctx.body = fs.createReadStream(media.file);
    ctx.length = stat.size;
  });

  return router;
}

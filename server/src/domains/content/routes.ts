/** Content for doctors: GET /api/content/:id (DESIGN §7). The feed (GET /api/feed) reads the serving catalogue (servingCatalogue.ts). */
import { IdParam } from '@hcp360/shared';
import Router from '@koa/router';
import { principalOf, requireDoctor } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { contentForDoctor } from './eligibility.js';

export function contentRoutes(deps: Deps): Router {
  const router = new Router();
  router.get('/api/content/:id', requireDoctor(), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await contentForDoctor(deps, principalOf(ctx).id, id);
  });
  return router;
}

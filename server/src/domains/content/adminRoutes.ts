/**
 * Content in the console (DESIGN §7): marketing writes, edits, submits, publishes and archives;
 * compliance or medical approve or reject (MLR review); admin and the reviewers may read.
 */
import { ContentActionInput, ContentCreateInput, ContentListQuery, ContentRejectInput, ContentUpdateInput, IdParam } from '@hcp360/shared';
import Router from '@koa/router';
import { principalOf, requireStaff } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { createContent, updateContent } from './authoring.js';
import { contentHistory, getContentForStaff, listContent } from './staffViews.js';
import { transitionContent, type TransitionAction } from './transitions.js';

const READERS = ['admin', 'marketing', 'compliance', 'medical'] as const;

export function contentAdminRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/api/admin/content' });

  router.get('/', requireStaff(...READERS), async (ctx) => {
    ctx.body = await listContent(deps, parseOrThrow(ContentListQuery, ctx.query));
  });
  router.post('/', requireStaff('marketing'), async (ctx) => {
    const input = parseOrThrow(ContentCreateInput, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createContent(deps, principalOf(ctx), input);
  });
  router.get('/:id', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await getContentForStaff(deps, id);
  });
  router.get('/:id/history', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await contentHistory(deps, id);
  });
  router.put('/:id', requireStaff('marketing'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await updateContent(deps, principalOf(ctx), id, parseOrThrow(ContentUpdateInput, ctx.request.body));
  });

  const action = (name: TransitionAction, ...roles: Parameters<typeof requireStaff>) =>
    router.post(`/:id/${name}`, requireStaff(...roles), async (ctx) => {
      const { id } = parseOrThrow(IdParam, ctx.params);
      const { comment } = parseOrThrow(name === 'reject' ? ContentRejectInput : ContentActionInput, ctx.request.body ?? {});
      ctx.body = await transitionContent(deps, principalOf(ctx), id, name, comment);
    });
  action('submit', 'marketing');
  action('approve', 'compliance', 'medical');
  action('reject', 'compliance', 'medical');
  action('publish', 'marketing');
  action('archive', 'marketing');

  return router;
}

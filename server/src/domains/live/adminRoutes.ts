/**
 * Live streams in the console and the rep pages (DESIGN §7): POST /api/admin/lives (rep or
 * marketing) then /:id/dept-approve (manager), /compliance-approve (compliance), /reject (manager
 * or compliance, at their step); plus cancel, extend (overrun), end, replay, share (a rep's own
 * poster), the list, one live stream, and the report (JSON, or CSV at /report.csv).
 */
import { IdParam, LiveActionInput, LiveAdminListQuery, LiveApplyInput, LiveCancelInput, LiveExtendInput, LiveRejectInput, LiveReplayInput, type LiveAction } from '@hcp360/shared';
import Router from '@koa/router';
import type { z } from 'zod';
import { principalOf, requireStaff } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { applyForLive, liveForStaff, listLivesForStaff, shareLive, transitionLive } from './applications.js';
import { liveReport, reportCsv } from './report.js';

const READERS = ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] as const;

const INPUTS: Record<LiveAction, z.ZodType<{ comment?: string; endAt?: string; replayUrl?: string }>> = {
  'dept-approve': LiveActionInput,
  'compliance-approve': LiveActionInput,
  reject: LiveRejectInput,
  cancel: LiveCancelInput,
  extend: LiveExtendInput,
  end: LiveActionInput,
  replay: LiveReplayInput,
};

export function liveAdminRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/api/admin/lives' });

  router.get('/', requireStaff(...READERS), async (ctx) => {
    ctx.body = await listLivesForStaff(deps, principalOf(ctx), parseOrThrow(LiveAdminListQuery, ctx.query));
  });
  router.post('/', requireStaff('rep', 'marketing'), async (ctx) => {
    const input = parseOrThrow(LiveApplyInput, ctx.request.body);
    ctx.status = 201;
    ctx.body = await applyForLive(deps, principalOf(ctx), input);
  });
  router.get('/:id', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await liveForStaff(deps, principalOf(ctx), id);
  });
  router.get('/:id/report', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await liveReport(deps, principalOf(ctx), id);
  });
  router.get('/:id/report.csv', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const report = await liveReport(deps, principalOf(ctx), id);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="live-${id}-report.csv"`);
    ctx.body = reportCsv(report);
  });
  router.post('/:id/share', requireStaff('rep', 'marketing'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await shareLive(deps, principalOf(ctx), id);
  });

  const action = (name: LiveAction, ...roles: Parameters<typeof requireStaff>) =>
    router.post(`/:id/${name}`, requireStaff(...roles), async (ctx) => {
      const { id } = parseOrThrow(IdParam, ctx.params);
      const input = parseOrThrow(INPUTS[name], ctx.request.body ?? {});
      ctx.body = await transitionLive(deps, principalOf(ctx), id, name, input);
    });
  action('dept-approve', 'manager');
  action('compliance-approve', 'compliance');
  action('reject', 'manager', 'compliance');
  action('cancel', 'rep', 'marketing');
  action('extend', 'rep', 'marketing');
  action('end', 'rep', 'marketing');
  action('replay', 'rep', 'marketing');

  return router;
}

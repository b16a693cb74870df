/**
 * Case collection in the console: marketing runs campaigns (create, edit — a changed form is a
 * new form version —, close early, archive); medical and compliance review submissions
 * (accept, reject, request a revision, each with a note for the doctor). Admin may read campaigns.
 */
import { CampaignInput, CaseAcceptInput, CaseNoteInput, CaseReviewQuery, IdParam, type CaseDecision } from '@hcp360/shared';
import Router from '@koa/router';
import { z } from 'zod';
import { principalOf, requireStaff } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { archiveCampaign, campaignForStaff, closeCampaign, createCampaign, listCampaignsForStaff, updateCampaign } from './campaigns.js';
import { decideCase } from './review.js';
import { reviewQueue, submissionFor } from './views.js';

const CAMPAIGN_READERS = ['admin', 'marketing', 'medical', 'compliance'] as const;
const PageQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().regex(/^[0-9]+$/).optional() });

export function caseAdminRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/api/admin/cases' });

  router.get('/campaigns', requireStaff(...CAMPAIGN_READERS), async (ctx) => {
    const q = parseOrThrow(PageQuery, ctx.query);
    ctx.body = await listCampaignsForStaff(deps, q.limit, q.cursor);
  });
  router.post('/campaigns', requireStaff('marketing'), async (ctx) => {
    const input = parseOrThrow(CampaignInput, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createCampaign(deps, principalOf(ctx), input);
  });
  router.get('/campaigns/:id', requireStaff(...CAMPAIGN_READERS), async (ctx) => {
    ctx.body = await campaignForStaff(deps, parseOrThrow(IdParam, ctx.params).id);
  });
  router.put('/campaigns/:id', requireStaff('marketing'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await updateCampaign(deps, principalOf(ctx), id, parseOrThrow(CampaignInput, ctx.request.body));
  });
  router.post('/campaigns/:id/close', requireStaff('marketing'), async (ctx) => {
    ctx.body = await closeCampaign(deps, principalOf(ctx), parseOrThrow(IdParam, ctx.params).id);
  });
  router.post('/campaigns/:id/archive', requireStaff('marketing'), async (ctx) => {
    ctx.body = await archiveCampaign(deps, principalOf(ctx), parseOrThrow(IdParam, ctx.params).id);
  });

  router.get('/submissions', requireStaff('medical', 'compliance'), async (ctx) => {
    ctx.body = await reviewQueue(deps, parseOrThrow(CaseReviewQuery, ctx.query));
  });
  router.get('/submissions/:id', requireStaff('medical', 'compliance'), async (ctx) => {
    ctx.body = await submissionFor(deps, principalOf(ctx), parseOrThrow(IdParam, ctx.params).id);
  });
  const decision = (name: CaseDecision) =>
    router.post(`/submissions/:id/${name}`, requireStaff('medical', 'compliance'), async (ctx) => {
      const { id } = parseOrThrow(IdParam, ctx.params);
      const { note } = parseOrThrow(name === 'accept' ? CaseAcceptInput : CaseNoteInput, ctx.request.body ?? {});
      ctx.body = await decideCase(deps, principalOf(ctx), id, name, note);
    });
  decision('accept');
  decision('reject');
  decision('request-revision');
  return router;
}

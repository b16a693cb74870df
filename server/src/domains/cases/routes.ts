/**
 * Case collection for doctors (DESIGN §7): open campaigns, drafts, submissions, revisions and case
 * images. GET /api/cases/submissions/:id also answers reviewers (the contract's "its author, or
 * reviewers"); the image route decides access itself (author, reviewer or signed URL; else 404).
 */
import { IdParam, SaveDraftInput, SubmitCaseInput } from '@hcp360/shared';
import Router from '@koa/router';
import { z } from 'zod';
import { principalOf, requireDoctor, type Principal } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { campaignDetailFor, openCampaignsFor } from './campaigns.js';
import { CASE_IMAGE_UPLOAD_PATH, serveCaseImage, uploadCaseImage } from './caseImages.js';
import { discardDraft, loadDraft, saveDraft } from './drafts.js';
import { assertVerified, reviseCase, submitCase } from './submissions.js';
import { mySubmissions, submissionFor } from './views.js';

const PageQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(20), cursor: z.string().regex(/^[0-9]+$/).optional() });

export function caseRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/api/cases' });
  const doctor = requireDoctor();
  const me = (ctx: Parameters<typeof principalOf>[0]) => principalOf(ctx).id;

  router.get('/campaigns', doctor, async (ctx) => {
    ctx.body = await openCampaignsFor(deps, me(ctx));
  });
  router.get('/campaigns/:id', doctor, async (ctx) => {
    ctx.body = await campaignDetailFor(deps, me(ctx), parseOrThrow(IdParam, ctx.params).id);
  });
  router.get('/campaigns/:id/draft', doctor, async (ctx) => {
    ctx.body = await loadDraft(deps, me(ctx), { campaignId: parseOrThrow(IdParam, ctx.params).id });
  });
  router.put('/campaigns/:id/draft', doctor, async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await saveDraft(deps, me(ctx), { campaignId: id }, parseOrThrow(SaveDraftInput, ctx.request.body));
  });
  router.delete('/campaigns/:id/draft', doctor, async (ctx) => {
    await discardDraft(deps, me(ctx), { campaignId: parseOrThrow(IdParam, ctx.params).id });
    ctx.body = { ok: true };
  });
  router.post('/campaigns/:id/submissions', doctor, async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const body = parseOrThrow(SubmitCaseInput, ctx.request.body);
    ctx.status = 201;
    ctx.body = await submitCase(deps, principalOf(ctx), id, body.answers, body.notify ?? false);
  });

  router.get('/submissions', doctor, async (ctx) => {
    const q = parseOrThrow(PageQuery, ctx.query);
    ctx.body = await mySubmissions(deps, me(ctx), q.limit, q.cursor);
  });
  router.get('/submissions/:id', async (ctx) => {
    ctx.body = await submissionFor(deps, principalOf(ctx), parseOrThrow(IdParam, ctx.params).id);
  });
  router.get('/submissions/:id/draft', doctor, async (ctx) => {
    ctx.body = await loadDraft(deps, me(ctx), { submissionId: parseOrThrow(IdParam, ctx.params).id });
  });
  router.put('/submissions/:id/draft', doctor, async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await saveDraft(deps, me(ctx), { submissionId: id }, parseOrThrow(SaveDraftInput, ctx.request.body));
  });
  router.delete('/submissions/:id/draft', doctor, async (ctx) => {
    await discardDraft(deps, me(ctx), { submissionId: parseOrThrow(IdParam, ctx.params).id });
    ctx.body = { ok: true };
  });
  router.post('/submissions/:id/revisions', doctor, async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const body = parseOrThrow(SubmitCaseInput, ctx.request.body);
    ctx.status = 201;
    ctx.body = await reviseCase(deps, principalOf(ctx), id, body.answers, body.notify ?? false);
  });

  router.post(CASE_IMAGE_UPLOAD_PATH.slice('/api/cases'.length), doctor, async (ctx) => {
    await assertVerified(deps, me(ctx));
    ctx.status = 201;
    ctx.body = await uploadCaseImage(deps, ctx, me(ctx));
  });
  router.get('/images/:name', async (ctx) => {
    await serveCaseImage(deps, ctx, ctx.state.principal as Principal | undefined);
  });
  return router;
}

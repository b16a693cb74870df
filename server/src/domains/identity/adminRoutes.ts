/** Staff routes of the identity domain: verification review, staff accounts, rep bindings, merges, doctor lookup. */
import { IdParam, ReviewInput, StaffCreateInput, VerificationListQuery, WechatBindingInput } from '@hcp360/shared';
import Router from '@koa/router';
import { z } from 'zod';
import { principalOf, requireStaff } from '../../platform/auth.js';
import { inTransaction } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { parseOrThrow } from '../../platform/errors.js';
import { listAudit } from '../audit/service.js';
import { noteDoctorChanged } from '../tags/evaluate.js';
import { listMerges, undoMerge } from './merge.js';
import { bindRepWechat, createStaff, getStaffList, unbindRepWechat } from './staffAdmin.js';
import { listVerifications, reviewVerification } from './verificationReview.js';

const AuditQuery = z.strictObject({
  targetType: z.string().max(32).optional(),
  targetId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^[0-9]+$/).optional(),
});

export function identityAdminRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/api/admin' });

  // ---- HCP verification (compliance) ----
  router.get('/verifications', requireStaff('compliance'), async (ctx) => {
    const q = parseOrThrow(VerificationListQuery, ctx.query);
    ctx.body = await listVerifications(deps, q.status, q.limit);
  });
  router.post('/verifications/:id/approve', requireStaff('compliance'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const { comment } = parseOrThrow(ReviewInput, ctx.request.body ?? {});
    ctx.body = await reviewVerification(deps, principalOf(ctx), id, 'approved', comment);
  });
  router.post('/verifications/:id/reject', requireStaff('compliance'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const { comment } = parseOrThrow(ReviewInput, ctx.request.body ?? {});
    ctx.body = await reviewVerification(deps, principalOf(ctx), id, 'rejected', comment);
  });

  // ---- staff accounts and rep WeChat bindings (admin) ----
  router.get('/staff', requireStaff('admin'), async (ctx) => {
    ctx.body = await getStaffList(deps);
  });
  router.post('/staff', requireStaff('admin'), async (ctx) => {
    ctx.status = 201;
    ctx.body = await createStaff(deps, principalOf(ctx), parseOrThrow(StaffCreateInput, ctx.request.body));
  });
  router.post('/staff/:id/wechat-binding', requireStaff('admin'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const { openid } = parseOrThrow(WechatBindingInput, ctx.request.body);
    ctx.body = await bindRepWechat(deps, principalOf(ctx), id, openid);
  });
  router.delete('/staff/:id/wechat-binding', requireStaff('admin'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await unbindRepWechat(deps, principalOf(ctx), id);
  });

  // ---- OneID merges (admin) ----
  router.get('/merges', requireStaff('admin'), async (ctx) => {
    const { hcpId } = parseOrThrow(z.strictObject({ hcpId: IdParam.shape.id.optional() }), ctx.query);
    ctx.body = { items: await listMerges(deps.pool, hcpId) };
  });
  router.post('/merges/:id/undo', requireStaff('admin'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    await inTransaction(deps.pool, async (conn) => {
      const { survivorId, mergedId } = await undoMerge(conn, id, principalOf(ctx), deps.clock());
      for (const hcpId of [survivorId, mergedId]) await noteDoctorChanged(deps, conn, hcpId, 'merge_undone', deps.clock());
    });
    ctx.body = { id, undone: true };
  });

  // ---- audit log (admin, compliance) ----
  router.get('/audit', requireStaff('admin', 'compliance'), async (ctx) => {
    const q = parseOrThrow(AuditQuery, ctx.query);
    ctx.body = await listAudit(deps.pool, { targetType: q.targetType, targetId: q.targetId, limit: q.limit, beforeId: q.cursor });
  });

  return router;
}

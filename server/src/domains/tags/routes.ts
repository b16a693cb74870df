/** Staff routes of the HCP360 engine: doctor profiles, lists, timelines, rule tags, segments, settings. */
import { IdParam, LIFECYCLE_STAGES, RuleDefinitionInput, RuleSchema, RuleTagInput, type StaffRole } from '@hcp360/shared';
import Router from '@koa/router';
import { z } from 'zod';
import { principalOf, requireStaff } from '../../platform/auth.js';
import { inTransaction } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, parseOrThrow } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { setStaffAttributes } from '../identity/service.js';
import { announceDoctorChanges, recordDoctorChanges } from './changeLog.js';
import { noteDoctorChanged } from './evaluate.js';
import { hcpProfileForStaff, listHcpsForStaff, timelineForStaff } from './hcpView.js';
import {
  deleteRuleDefinition,
  getRuleDefinition,
  insertRuleDefinition,
  listRuleDefinitions,
  previewRule,
  refreshMembership,
  updateRuleDefinition,
} from './rules.js';
import { loadModels, runPredictions } from './predict.js';
import { EngineSettingsSchema, loadSettings, saveSettings } from './settings.js';

const READERS: StaffRole[] = ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'];
const RULE_WRITERS: StaffRole[] = ['admin', 'marketing'];

/** A rule that fails validation is RULE_INVALID, with each problem's path. */
function parseRule<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const ruleProblem = details.some((d) => d.path === 'rule' || d.path.startsWith('rule.'));
  throw new AppError(ruleProblem ? 'RULE_INVALID' : 'VALIDATION_FAILED', `${details[0]!.path}: ${details[0]!.message}`, details);
}

const ListQuery = z.strictObject({
  segment: IdParam.shape.id.optional(),
  tag: z.string().regex(/^[a-z][a-z0-9_:.-]{0,63}(=.{1,64})?$/, 'tag=key or tag=key=value').optional(),
  stage: z.enum(LIFECYCLE_STAGES).optional(),
  q: z.string().trim().min(1).max(40).optional(),
  rule: z.string().max(8000).optional(),
  cursor: IdParam.shape.id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const AttributesInput = z.strictObject({
  specialty: z.string().trim().min(1).max(64).nullable().optional(),
  academicRoles: z.array(z.string().trim().min(1).max(64)).max(10).optional(),
});

export function engineRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/api/admin' });
  const now = () => deps.clock();

  router.get('/hcps', requireStaff(...READERS), async (ctx) => {
    const q = parseOrThrow(ListQuery, ctx.query);
    let rule;
    if (q.rule) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(q.rule);
      } catch {
        throw new AppError('RULE_INVALID', 'rule must be JSON', [{ path: 'rule', message: 'not JSON' }]);
      }
      rule = parseRule(RuleSchema, parsed);
    }
    const [key, value] = q.tag ? [q.tag.split('=')[0]!, q.tag.includes('=') ? q.tag.slice(q.tag.indexOf('=') + 1) : undefined] : [];
    ctx.body = await listHcpsForStaff(
      deps.pool,
      principalOf(ctx),
      { segment: q.segment, tag: key ? { key, value } : undefined, stage: q.stage, q: q.q, rule, cursor: q.cursor, limit: q.limit },
      now(),
      await loadSettings(deps.pool),
    );
  });

  router.get('/hcps/:id', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await hcpProfileForStaff(deps.pool, principalOf(ctx), id, now(), await loadSettings(deps.pool));
  });

  router.get('/hcps/:id/timeline', requireStaff(...READERS), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const q = parseOrThrow(z.strictObject({ cursor: IdParam.shape.id.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }), ctx.query);
    ctx.body = await timelineForStaff(deps.pool, principalOf(ctx), id, q);
  });

  router.put('/hcps/:id/attributes', requireStaff('admin', 'medical'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    const input = parseOrThrow(AttributesInput, ctx.request.body);
    await inTransaction(deps.pool, async (conn) => {
      if (!(await setStaffAttributes(conn, id, input, now()))) throw new AppError('NOT_FOUND', `No doctor ${id}.`);
      await recordAudit(conn, { actor: principalOf(ctx), action: 'hcp.attributes', targetType: 'hcp', targetId: id, detail: input }, now());
      await noteDoctorChanged(deps, conn, id, 'attributes', now());
    });
    ctx.body = await hcpProfileForStaff(deps.pool, principalOf(ctx), id, now(), await loadSettings(deps.pool));
  });

  // ---- rule tags and segments ----
  for (const kind of ['tag', 'segment'] as const) {
    const base = kind === 'tag' ? '/tag-rules' : '/segments';
    const schema = kind === 'tag' ? RuleTagInput : RuleDefinitionInput;

    router.get(base, requireStaff(...READERS), async (ctx) => {
      ctx.body = { items: await listRuleDefinitions(deps.pool, kind) };
    });
    router.post(`${base}/preview`, requireStaff(...READERS), async (ctx) => {
      const { rule } = parseRule(z.strictObject({ rule: RuleSchema }), ctx.request.body);
      ctx.body = await previewRule(deps.pool, rule, now(), await loadSettings(deps.pool));
    });
    router.get(`${base}/:id`, requireStaff(...READERS), async (ctx) => {
      const { id } = parseOrThrow(IdParam, ctx.params);
      const def = await getRuleDefinition(deps.pool, id, kind);
      if (!def) throw new AppError('NOT_FOUND', `No ${kind === 'tag' ? 'rule tag' : 'segment'} ${id}.`);
      ctx.body = { ...def, ...(await previewRule(deps.pool, def.rule, now(), await loadSettings(deps.pool))) };
    });
    router.post(base, requireStaff(...RULE_WRITERS), async (ctx) => {
      const input = parseRule(schema, ctx.request.body) as z.infer<typeof RuleTagInput>;
      const p = principalOf(ctx);
      const settings = await loadSettings(deps.pool);
      try {
        ctx.body = await inTransaction(deps.pool, async (conn) => {
          const id = await insertRuleDefinition(conn, { kind, tagKey: kind === 'tag' ? input.tagKey : undefined, name: input.name, description: input.description, rule: input.rule, createdBy: p.id }, now());
          const def = (await getRuleDefinition(conn, id, kind))!;
          const changes = await refreshMembership(conn, [def], now(), settings);
          await recordAudit(conn, { actor: p, action: `${kind}_rule.create`, targetType: 'rule', targetId: id, detail: { name: input.name, rule: input.rule } }, now());
          return { ...def, members: changes };
        });
        if (kind === 'segment') announceDoctorChanges(deps, 'everyone');
        ctx.status = 201;
      } catch (err) {
        if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppError('TAG_KEY_TAKEN');
        throw err;
      }
    });
    router.put(`${base}/:id`, requireStaff(...RULE_WRITERS), async (ctx) => {
      const { id } = parseOrThrow(IdParam, ctx.params);
      const input = parseRule(RuleDefinitionInput, ctx.request.body);
      const settings = await loadSettings(deps.pool);
      ctx.body = await inTransaction(deps.pool, async (conn) => {
        if (!(await getRuleDefinition(conn, id, kind))) throw new AppError('NOT_FOUND', `No ${kind === 'tag' ? 'rule tag' : 'segment'} ${id}.`);
        await updateRuleDefinition(conn, id, input, now());
        const def = (await getRuleDefinition(conn, id, kind))!;
        await refreshMembership(conn, [def], now(), settings);
        await recordAudit(conn, { actor: principalOf(ctx), action: `${kind}_rule.update`, targetType: 'rule', targetId: id, detail: { name: input.name, rule: input.rule } }, now());
        return def;
      });
      if (kind === 'segment') announceDoctorChanges(deps, 'everyone');
    });
    router.delete(`${base}/:id`, requireStaff(...RULE_WRITERS), async (ctx) => {
      const { id } = parseOrThrow(IdParam, ctx.params);
      await inTransaction(deps.pool, async (conn) => {
        const def = await getRuleDefinition(conn, id, kind);
        if (!def) throw new AppError('NOT_FOUND', `No ${kind === 'tag' ? 'rule tag' : 'segment'} ${id}.`);
        await deleteRuleDefinition(conn, def, now());
        await recordAudit(conn, { actor: principalOf(ctx), action: `${kind}_rule.delete`, targetType: 'rule', targetId: id }, now());
      });
      if (kind === 'segment') announceDoctorChanges(deps, 'everyone');
      ctx.body = { id, deleted: true };
    });
  }

  // ---- engine settings ----
  router.get('/engine/settings', requireStaff('admin', 'marketing'), async (ctx) => {
    ctx.body = await loadSettings(deps.pool);
  });
  router.put('/engine/settings', requireStaff('admin'), async (ctx) => {
    const settings = parseOrThrow(EngineSettingsSchema, ctx.request.body);
    await inTransaction(deps.pool, async (conn) => {
      await saveSettings(conn, settings, principalOf(ctx).id, now());
      await recordAudit(conn, { actor: principalOf(ctx), action: 'engine.settings', targetType: 'engine', targetId: 'settings', detail: settings }, now());
      // Affinities decay by the settings as they are read: every cached doctor state is out of date.
      await recordDoctorChanges(conn, 'everyone', now());
    });
    announceDoctorChanges(deps, 'everyone');
    ctx.body = settings;
  });

  // ---- predictive models ----
  router.get('/engine/models', requireStaff('admin', 'marketing'), async (ctx) => {
    const models = await loadModels(deps.pool);
    if (!models) throw new AppError('NOT_FOUND', 'The predictive models have not been trained yet.');
    ctx.body = models;
  });
  router.post('/engine/models/retrain', requireStaff('admin'), async (ctx) => {
    const models = await runPredictions(deps.pool, now(), await loadSettings(deps.pool));
    await recordAudit(deps.pool, { actor: principalOf(ctx), action: 'engine.retrain', targetType: 'engine', targetId: 'models', detail: { dormancyAuc: models.dormancy?.auc ?? null, liveAuc: models.live?.auc ?? null } }, now());
    ctx.body = models;
  });

  return router;
}

/**
 * The feed's routes: the personalised feed (DESIGN §7 GET /api/feed), the doctor's library
 * (favourites, history, search, own reactions) and the staff preview with score breakdowns.
 * Registered before the content router so /api/content/search is not read as /api/content/:id.
 * Owns the impression buffer and the feed jobs; both are finished at shutdown (Deps.closeHooks).
 */
import { FeedPreviewQuery, FeedQuery, IdParam, LibraryQuery, SearchQuery } from '@hcp360/shared';
import Router from '@koa/router';
import type { Context } from 'koa';
import { principalOf, requireDoctor, requireStaff } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, parseOrThrow } from '../../platform/errors.js';
import { FeedJobs } from './feedJobs.js';
import { feedPage, feedPreview, liveDoctorFacts, type FeedServices } from './feedService.js';
import { ImpressionRecorder } from './impressions.js';
import { favoritesOf, historyOf, reactionsOf, searchContent } from './library.js';
import { SnapshotCursors } from './snapshots.js';
import { DoctorReader } from './doctorReads.js';
import { RANKINGS_KEPT } from './feedWeights.js';
import { RankingCache } from './rankingCache.js';

/**
 * GET /api/feed without a query string (how the app opens and refreshes the feed): the defaults,
 * validated once. Parsing an empty query with the schema on every request ran through enough of
 * the validator's code to show in the feed's profile.
 */
const DEFAULT_FEED_QUERY: Readonly<FeedQuery> = Object.freeze(parseOrThrow(FeedQuery, {}));

export function feedRoutes(deps: Deps): Router {
  const impressions = new ImpressionRecorder(deps);
  const svc: FeedServices = {
    deps,
    jobs: new FeedJobs(deps),
    impressions,
    snapshots: new SnapshotCursors(deps.config.jwt.secret),
    doctors: new DoctorReader(deps, impressions),
    // Kept rankings need the doctor's state kept: without it every request reads a new one.
    rankings: new RankingCache(deps.config.feedCache.maxDoctors > 0 ? RANKINGS_KEPT : { ...RANKINGS_KEPT, doctors: 0 }),
  };
  // Doctors whose state changed in this process are dropped from the feed's memory at once.
  deps.doctorsChanged = (ids) => svc.doctors.changed(ids);
  (deps.closeHooks ??= []).push(async () => {
    await svc.doctors.close();
    await svc.jobs.close();
    await svc.impressions.close();
  });

  /** The signed-in doctor's record (a token minted before a OneID merge reaches the survivor). */
  async function doctorId(ctx: Context): Promise<string> {
    const facts = await liveDoctorFacts(deps, principalOf(ctx).id);
    if (!facts) throw new AppError('TOKEN_INVALID', 'This doctor record no longer exists; sign in again.');
    return facts.id;
  }

  const router = new Router();
  router.get('/api/feed', requireDoctor(), async (ctx) => {
    const q = ctx.querystring === '' ? DEFAULT_FEED_QUERY : parseOrThrow(FeedQuery, ctx.query);
    const body = await feedPage(svc, principalOf(ctx).id, q);
    ctx.type = 'json';
    ctx.body = body;
  });
  router.get('/api/content/search', requireDoctor(), async (ctx) => {
    ctx.body = await searchContent(deps, await doctorId(ctx), parseOrThrow(SearchQuery, ctx.query));
  });
  router.get('/api/content/:id/reactions', requireDoctor(), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await reactionsOf(deps, await doctorId(ctx), id);
  });
  router.get('/api/me/favorites', requireDoctor(), async (ctx) => {
    ctx.body = await favoritesOf(deps, await doctorId(ctx), parseOrThrow(LibraryQuery, ctx.query));
  });
  router.get('/api/me/history', requireDoctor(), async (ctx) => {
    ctx.body = await historyOf(deps, await doctorId(ctx), parseOrThrow(LibraryQuery, ctx.query));
  });
  router.get('/api/admin/hcps/:id/feed-preview', requireStaff('admin', 'marketing', 'medical', 'compliance'), async (ctx) => {
    const { id } = parseOrThrow(IdParam, ctx.params);
    ctx.body = await feedPreview(svc, id, parseOrThrow(FeedPreviewQuery, ctx.query));
  });
  return router;
}

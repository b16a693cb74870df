/**
 * POST /api/events (DESIGN §7): a batch of 1–100 events from the signed-in doctor. Each event is
 * judged on its own; valid ones are stored exactly once; the answer says what happened to each.
 * The doctor is taken from the token only: an event naming anyone else is just an invalid event.
 * Ingestion does no heavy work: derived data is the tagger's job.
 */
import { MAX_EVENTS_PER_BATCH, type EventBatchResponse } from '@hcp360/shared';
import Router from '@koa/router';
import { principalOf, requireDoctor } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { rateLimitPerPrincipal } from '../../platform/rateLimit.js';
import { findLiveHcp } from '../identity/hcpRepo.js';
import { prepareBatch } from './pipeline.js';
import { insertEvents } from './repo.js';

/** Reads `{events: [...]}` or explains what is wrong with the request as a whole. */
function batchOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('VALIDATION_FAILED', 'The body must be an object {"events": [...]}.', [{ path: '(body)', message: 'expected an object' }]);
  }
  const extra = Object.keys(body).filter((k) => k !== 'events');
  if (extra.length) throw new AppError('VALIDATION_FAILED', `unknown field(s): ${extra.join(', ')}`, [{ path: '', message: `unknown field(s): ${extra.join(', ')}` }]);
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_BATCH) {
    throw new AppError('BATCH_SIZE', `Send between 1 and ${MAX_EVENTS_PER_BATCH} events in "events"${Array.isArray(events) ? ` (got ${events.length})` : ''}.`);
  }
  return events;
}

export function eventRoutes(deps: Deps): Router {
  const router = new Router();
  router.post('/api/events', requireDoctor(), rateLimitPerPrincipal('events', deps.config.eventsRatePerMinute), async (ctx) => {
    const raws = batchOf(ctx.request.body);
    const now = deps.clock();
    const { rows, duplicatesInBatch, rejected } = prepareBatch(raws, now);
    // Events of a doctor record merged into another belong to the survivor.
    const hcp = await findLiveHcp(deps.pool, principalOf(ctx).id);
    if (!hcp) throw new AppError('TOKEN_INVALID', 'This doctor record no longer exists; sign in again.');
    const { inserted } = await insertEvents(deps.pool, hcp.id, rows, new Date(now));
    if (inserted > 0) {
      // The doctor's history changed: cached state (the feed's) is dropped now, the tagger woken.
      deps.doctorsChanged?.([hcp.id]);
      deps.onEventsStored?.(hcp.id);
    }
    const answer: EventBatchResponse = { accepted: inserted, duplicates: duplicatesInBatch + rows.length - inserted, rejected };
    ctx.body = answer;
  });
  return router;
}

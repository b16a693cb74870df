/**
 * POST /api/events (DESIGN §7) for the tracking SDK. Unlike the other services it hands back
 * the status and Retry-After instead of throwing, because the tracker decides per status what
 * to do with a batch (retry, split, drop).
 */
import type { TrackedEvent } from '@hcp360/shared';
import type { TransportResult } from '../tracking/types';
import { apiClient } from './request';
import { parseRetryAfter } from './retryAfter';

/**
 * Rejects when the batch got no answer of its own: no network, or the (re)login it needed
 * failed. The tracker retries both with back-off.
 */
export async function postEvents(events: TrackedEvent[]): Promise<TransportResult> {
  const res = await apiClient.exchange({ method: 'POST', path: '/api/events', body: { events } });
  const retryAfterSeconds = parseRetryAfter(res.headers?.['retry-after']);
  const result: TransportResult = { status: res.status, data: res.data };
  if (retryAfterSeconds !== undefined) result.retryAfterSeconds = retryAfterSeconds;
  return result;
}

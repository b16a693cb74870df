/**
 * Loads one item for the article and video pages, with the doctor's own like/favourite state,
 * and records content_view once it is shown. RX_ONLY (not a verified HCP) and NOT_FOUND (offline,
 * expired or outside the audience) are states of their own, not errors.
 */
import { useEffect, useRef, useState } from 'react';
import type { ContentReactions, DoctorContent } from '@hcp360/shared';
import { ApiError, describeError } from '../services/apiError';
import { fetchContent, fetchReactions } from '../services/content';
import { tracker } from '../tracking/taro';

export type ItemState =
  | { status: 'loading' }
  | { status: 'ready'; content: DoctorContent }
  | { status: 'rx' }
  | { status: 'gone' }
  | { status: 'error'; message: string };

export function useContentItem(id: string) {
  const [state, setState] = useState<ItemState>({ status: 'loading' });
  const [reactions, setReactions] = useState<ContentReactions>({ liked: false, favorited: false });
  const viewed = useRef(false);

  async function load(): Promise<void> {
    if (!id) return setState({ status: 'gone' });
    setState({ status: 'loading' });
    void fetchReactions(id)
      .then(setReactions)
      .catch(() => undefined); // the buttons start as "off"; nothing else depends on it
    try {
      const content = await fetchContent(id);
      setState({ status: 'ready', content });
      if (!viewed.current) {
        viewed.current = true;
        tracker.track('content_view', { content_id: id });
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RX_ONLY') setState({ status: 'rx' });
      else if (err instanceof ApiError && (err.code === 'NOT_FOUND' || err.code === 'VALIDATION_FAILED')) setState({ status: 'gone' });
      else setState({ status: 'error', message: describeError(err) });
    }
  }

  useEffect(() => {
    void load();
  }, [id]);

  return { state, reactions, setReactions, reload: load };
}

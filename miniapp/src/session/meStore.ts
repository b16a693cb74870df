/**
 * In-memory copy of GET /api/me shared by all pages, so the launch flow and the first page
 * share one request and a page that saves something updates the others. Platform-free: the
 * fetcher is injected. Persistent state (tokens) lives in storage, not here.
 */
import type { MeResponse } from '@hcp360/shared';
import { describeError } from '../services/apiError';

export interface MeState {
  me: MeResponse | null;
  loading: boolean;
  /** Chinese message of the last failed load; cleared by the next success. */
  error: string | null;
}

export interface MeStore {
  getState(): MeState;
  subscribe(listener: () => void): () => void;
  /** Fetches /api/me (concurrent callers share one request). Resolves null on failure; see `error`. */
  load(): Promise<MeResponse | null>;
  /** Merges a server answer (e.g. the profile returned by PUT /api/me/profile) into the copy. */
  patch(changes: Partial<MeResponse>): void;
}

export function createMeStore(fetchMe: () => Promise<MeResponse>): MeStore {
  let state: MeState = { me: null, loading: false, error: null };
  let inFlight: Promise<MeResponse | null> | null = null;
  const listeners = new Set<() => void>();

  function setState(next: Partial<MeState>): void {
    state = { ...state, ...next };
    listeners.forEach((listener) => listener());
  }

  async function loadNow(): Promise<MeResponse | null> {
    setState({ loading: true });
    try {
      const me = await fetchMe();
      setState({ me, loading: false, error: null });
      return me;
    } catch (err) {
      setState({ loading: false, error: describeError(err) });
      return null;
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load() {
      inFlight ??= loadNow().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    patch(changes) {
      if (state.me) setState({ me: { ...state.me, ...changes } });
    },
  };
}

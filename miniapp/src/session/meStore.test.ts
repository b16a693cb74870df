import { describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '@hcp360/shared';
import { ApiError } from '../services/apiError';
import { createMeStore } from './meStore';

const sample = { id: '7', role: 'doctor', profile: { name: '张三' } } as unknown as MeResponse;

describe('me store', () => {
  it('shares one GET /api/me between callers that load at the same time', async () => {
    const fetchMe = vi.fn(async () => sample);
    const store = createMeStore(fetchMe);
    const [a, b] = await Promise.all([store.load(), store.load()]);
    expect(fetchMe).toHaveBeenCalledTimes(1);
    expect(a).toBe(sample);
    expect(b).toBe(sample);
    expect(store.getState()).toEqual({ me: sample, loading: false, error: null });
  });

  it('keeps the Chinese message of a failed load and clears it on the next success', async () => {
    const fetchMe = vi.fn<() => Promise<MeResponse>>().mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR'));
    fetchMe.mockResolvedValueOnce(sample);
    const store = createMeStore(fetchMe);
    expect(await store.load()).toBeNull();
    expect(store.getState().error).toBe('网络不可用，请稍后重试');
    await store.load();
    expect(store.getState().error).toBeNull();
  });

  it('notifies subscribers and merges patches into the loaded copy', async () => {
    const store = createMeStore(async () => sample);
    const listener = vi.fn();
    store.subscribe(listener);
    await store.load();
    store.patch({ verification: { status: 'pending', comment: null } });
    expect(store.getState().me?.verification.status).toBe('pending');
    expect(store.getState().me?.id).toBe('7');
    expect(listener).toHaveBeenCalled();
  });
});

/** React binding of the shared /api/me copy; loads it on first use if nobody has yet. */
import { useEffect, useState } from 'react';
import { meStore, reloadSession } from './session';
import type { MeState } from './meStore';

export function useMe(): MeState & { reload: () => Promise<void> } {
  const [state, setState] = useState<MeState>(meStore.getState());
  useEffect(() => {
    const unsubscribe = meStore.subscribe(() => setState(meStore.getState()));
    setState(meStore.getState());
    const current = meStore.getState();
    if (!current.me && !current.loading && !current.error) void meStore.load();
    return unsubscribe;
  }, []);
  return { ...state, reload: reloadSession };
}

/** React binding of a pager: made once per page, its state re-rendered on every change. */
import { useEffect, useRef, useState } from 'react';
import { createPager, type Page, type Pager, type PagerOptions, type PagerState } from './pager';

export function usePager<T extends { id: string }>(fetchPage: (cursor: string | null) => Promise<Page<T>>, opts?: PagerOptions): [PagerState<T>, Pager<T>] {
  // The latest fetchPage is used, so it may read props and state of the current render.
  const latest = useRef(fetchPage);
  latest.current = fetchPage;
  const pager = useRef<Pager<T> | null>(null);
  pager.current ??= createPager<T>((cursor) => latest.current(cursor), opts);
  const [state, setState] = useState(pager.current.getState());
  useEffect(() => pager.current!.subscribe(() => setState(pager.current!.getState())), []);
  return [state, pager.current];
}

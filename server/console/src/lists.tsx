/**
 * What every list page of the console does alike: a paged list from the API (the first page on
 * opening, more after its cursor), its loading, failed and empty states, and filters kept in the
 * URL's hash so a filtered list can be reloaded and shared.
 */
import { useEffect, useState } from 'react';
import { api } from './api.js';
import { go } from './App.js';
import { errorText } from './labels.js';

/** A list the API pages with `nextCursor`; `url` makes the address of the page after `cursor`. */
export function usePagedList<T>(url: (cursor?: string) => string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  async function load(cursor?: string) {
    setError('');
    try {
      const res = await api<{ items: T[]; nextCursor: string | null }>('GET', url(cursor));
      setItems((before) => (cursor ? [...(before ?? []), ...res.items] : res.items));
      setNext(res.nextCursor);
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void load(), []);
  return { items, next, error, load };
}

/** Loading, a failed load with a retry, and the empty list, as every list page shows them. */
export function ListStatus({ items, error, retry, empty }: { items: readonly unknown[] | null; error: string; retry: () => void; empty: string }) {
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error} <button onClick={retry}>重试</button>
        </p>
      )}
      {items === null && !error && <p className="muted">加载中…</p>}
      {items?.length === 0 && <p className="empty">{empty}</p>}
    </>
  );
}

/** 加载更多, while the list goes on. */
export function MoreButton({ next, load }: { next: string | null; load: (cursor: string) => Promise<void> }) {
  return next ? (
    <button className="more" onClick={() => void load(next)}>
      加载更多
    </button>
  ) : null;
}

/** Goes to `base` with `params` changed by `change` (an empty value removes its key). */
export function goFiltered(base: string, params: URLSearchParams, change: Record<string, string>) {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(change)) (v ? p.set(k, v) : p.delete(k));
  const s = p.toString();
  go(`${base}${s ? `?${s}` : ''}`);
}

/** A row of tabs over `options` (value, label), the current one marked. */
export function Tabs<T extends string>({ options, value, onChange }: { options: readonly (readonly [T, string])[]; value: T; onChange: (v: T) => void }) {
  return (
    <div className="tabs">
      {options.map(([v, label]) => (
        <button key={v || 'all'} className={v === value ? 'on' : ''} onClick={() => onChange(v)}>
          {label}
        </button>
      ))}
    </div>
  );
}

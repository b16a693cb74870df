/**
 * Form pieces the console's editors share: the topic chips and the audience (everyone, or some
 * segments) of content, live streams and case campaigns, and the segments to choose from.
 */
import { TOPICS, TOPIC_CODES, type Topic } from '@hcp360/shared';
import { useEffect, useState, type ReactNode } from 'react';
import { api } from './api.js';

/** The segments staff may target (empty until loaded); `onError` hears a failed load. */
export function useSegments(onError?: (err: unknown) => void): { id: string; name: string }[] {
  const [segments, setSegments] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    api<{ items: { id: string; name: string }[] }>('GET', '/api/admin/segments').then((r) => setSegments(r.items), onError ?? (() => undefined));
  }, []);
  return segments;
}

/** Toggles `v` in `list`. */
const toggled = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));

/** Checkbox chips over `options` (value, label); `name` names the checkboxes in the form. */
export function Chips<T extends string>({ options, value, onChange, name }: { options: readonly (readonly [T, string])[]; value: T[]; onChange: (v: T[]) => void; name?: string }) {
  return (
    <div className="chips">
      {options.map(([v, label]) => (
        <label key={v} className={`chip ${value.includes(v) ? 'on' : ''}`}>
          <input type="checkbox" name={name} value={v} checked={value.includes(v)} onChange={(e) => onChange(toggled(value, v, e.target.checked))} />
          {label}
        </label>
      ))}
    </div>
  );
}

const TOPIC_OPTIONS = TOPIC_CODES.map((t) => [t, TOPICS[t]] as const);

/** The shared vocabulary's topics as chips, under `label`. */
export function TopicChips({ label, value, onChange, error }: { label: string; value: Topic[]; onChange: (v: Topic[]) => void; error?: ReactNode }) {
  return (
    <div className="field">
      <span>{label}</span>
      <Chips options={TOPIC_OPTIONS} value={value} onChange={onChange} />
      {error}
    </div>
  );
}

/** 受众: everyone, or the chosen segments. */
export function AudiencePicker({
  everyone,
  segmentIds,
  segments,
  onChange,
  none = '还没有分群。',
  error,
}: {
  everyone: boolean;
  segmentIds: string[];
  segments: { id: string; name: string }[];
  onChange: (v: { everyone: boolean; segmentIds: string[] }) => void;
  none?: string;
  error?: ReactNode;
}) {
  return (
    <div className="field">
      <span>受众</span>
      <label className="inline">
        <input type="radio" name="audience" checked={everyone} onChange={() => onChange({ everyone: true, segmentIds })} />
        全部医生
      </label>
      <label className="inline">
        <input type="radio" name="audience" checked={!everyone} onChange={() => onChange({ everyone: false, segmentIds })} />
        指定分群
      </label>
      {!everyone &&
        (segments.length === 0 ? (
          <span className="muted">{none}</span>
        ) : (
          <Chips options={segments.map((s) => [s.id, s.name] as const)} value={segmentIds} onChange={(ids) => onChange({ everyone: false, segmentIds: ids })} />
        ))}
      {error}
    </div>
  );
}

/** What to fix about one field, under it (nothing when there is nothing to fix). */
/** A form's own error (what the server or a check said about the whole form), when there is one. */
export function FormError({ text }: { text: string | null | undefined }) {
  return text ? (
    <p className="error" role="alert">
      {text}
    </p>
  ) : null;
}

export function FieldError({ text }: { text: string | undefined }) {
  return text ? (
    <span className="fielderror" role="alert">
      {text}
    </span>
  ) : null;
}

/**
 * A reviewer's or author's decision on one thing: a button per choice, then a confirmation with
 * a note where the choice takes one (required ones are checked here before anything is sent;
 * the server checks again). Errors from the server are shown under the buttons.
 */
import { useState, type ReactNode } from 'react';
import { errorText, fromBeijingLocal } from './labels.js';
import { FormError } from './fields.js';

export interface Choice<K extends string> {
  key: K;
  label: string;
  tone?: 'primary' | 'danger';
  /** What the confirmation says. */
  confirm: string;
  /** What the decision takes: a note (text, the default), a time (Beijing, as ISO 8601) or a URL. */
  note?: { label: string; required: boolean; missing?: string; kind?: 'text' | 'datetime' | 'url' };
}

export function Decide<K extends string>({ choices, onDecide, leading }: { choices: readonly Choice<K>[]; onDecide: (key: K, note: string | undefined) => Promise<void>; leading?: ReactNode }) {
  const [pending, setPending] = useState<Choice<K> | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function confirm(c: Choice<K>) {
    const text = note.trim();
    if (c.note?.required && !text) return setError(c.note.missing ?? `请填写${c.note.label}。`);
    setBusy(true);
    setError('');
    try {
      await onDecide(c.key, c.note && text ? (c.note.kind === 'datetime' ? fromBeijingLocal(text) : text) : undefined);
      setPending(null);
      setNote('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (choices.length === 0 && !leading) return null;
  return (
    <>
      <div className="actions">
        {leading}
        {choices.map((c) => (
          <button key={c.key} className={c.tone ?? ''} disabled={busy} onClick={() => (setPending(c), setError(''))}>
            {c.label}
          </button>
        ))}
      </div>
      {pending && (
        <div className="card confirm">
          <p>{pending.confirm}</p>
          {pending.note && (
            <label>
              {pending.note.label}
              {pending.note.required ? '（必填）' : '（可选）'}
              {pending.note.kind === 'datetime' ? (
                <input name="comment" type="datetime-local" value={note} onChange={(e) => setNote(e.target.value)} />
              ) : pending.note.kind === 'url' ? (
                <input name="comment" type="url" placeholder="https://…" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
              ) : (
                <textarea name="comment" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
              )}
            </label>
          )}
          <div className="actions">
            <button className={pending.tone === 'danger' ? 'danger' : 'primary'} disabled={busy} onClick={() => void confirm(pending)}>
              确认{pending.label}
            </button>
            <button disabled={busy} onClick={() => (setPending(null), setNote(''), setError(''))}>
              取消
            </button>
          </div>
        </div>
      )}
      <FormError text={error} />
    </>
  );
}

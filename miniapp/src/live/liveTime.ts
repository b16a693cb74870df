/** Times on the live pages, in China time (UTC+8, as the programme is printed), and the countdown. Pure. */

const pad = (n: number) => String(n).padStart(2, '0');

function china(iso: string): Date {
  return new Date(Date.parse(iso) + 8 * 3_600_000);
}

/** `12月01日 20:00` */
export function dayTime(iso: string): string {
  const d = china(iso);
  return `${pad(d.getUTCMonth() + 1)}月${pad(d.getUTCDate())}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `12月01日 20:00–21:00` */
export function timeRange(startIso: string, endIso: string): string {
  const e = china(endIso);
  return `${dayTime(startIso)}–${pad(e.getUTCHours())}:${pad(e.getUTCMinutes())}`;
}

/** What is left until the start: `2天 03:04:05`, `03:04:05`, or null once it has started. */
export function countdown(startIso: string, now: number): string | null {
  const left = Math.floor((Date.parse(startIso) - now) / 1000);
  if (left <= 0) return null;
  const days = Math.floor(left / 86_400);
  const rest = left % 86_400;
  const hms = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return days > 0 ? `${days}天 ${hms}` : hms;
}

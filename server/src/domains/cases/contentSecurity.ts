/**
 * WeChat content security (msg_sec_check v2) over a case's text before it is stored as
 * submitted (WECHAT.md: user text that others will see must be checked). The text answers are
 * checked as labelled lines, in pieces of at most 2,500 characters (WeChat's limit); the worst
 * verdict wins: `risky` refuses the submission (422 CONTENT_RISKY), `review` accepts it flagged
 * for the reviewer. When WeChat cannot answer, the submission is refused with 503
 * WECHAT_UNAVAILABLE (nothing is stored as submitted unchecked; the draft keeps the doctor's work).
 */
import type { CaseForm } from '@hcp360/shared';
import { isTextField } from '@hcp360/shared';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { WechatApiError, type SecCheckVerdict } from '../../platform/wechat.js';
import { openidOf } from '../identity/service.js';

const MAX_CHARS = 2500;
const RANK = { pass: 0, review: 1, risky: 2 } as const;

/** The text answers as `label：value` lines, cut into pieces WeChat accepts (lines longer than a piece are split). */
export function secCheckPieces(form: CaseForm, answers: Record<string, unknown>): string[] {
  const lines = form.fields.filter(isTextField).flatMap((f) => (typeof answers[f.key] === 'string' && answers[f.key] !== '' ? [`${f.label}：${answers[f.key] as string}`] : []));
  const pieces: string[] = [];
  let current = '';
  for (const line of lines) {
    for (let i = 0; i < line.length; i += MAX_CHARS) {
      const part = line.slice(i, i + MAX_CHARS);
      if (current && current.length + 1 + part.length > MAX_CHARS) (pieces.push(current), (current = ''));
      current = current ? `${current}\n${part}` : part;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The worst verdict over the case's text; throws CONTENT_RISKY or WECHAT_UNAVAILABLE. */
export async function checkCaseText(deps: Deps, hcpId: string, form: CaseForm, answers: Record<string, unknown>): Promise<SecCheckVerdict> {
  const pieces = secCheckPieces(form, answers);
  let worst: SecCheckVerdict = { suggest: 'pass', label: 100 };
  if (pieces.length === 0) return worst;
  const openid = await openidOf(deps.pool, deps.config.wechat.appid, hcpId);
  if (!openid) throw new AppError('WECHAT_UNAVAILABLE', 'Content security needs your WeChat identity; sign in through WeChat and retry.');
  for (const content of pieces) {
    let verdict: SecCheckVerdict;
    try {
      verdict = await deps.wechat.msgSecCheck({ content, openid, scene: 3 });
    } catch (err) {
      if (err instanceof WechatApiError) throw new AppError('WECHAT_UNAVAILABLE', `WeChat content security failed (errcode ${err.errcode}); your draft is kept, retry shortly.`);
      throw err;
    }
    if (!verdict || !(verdict.suggest in RANK)) throw new AppError('WECHAT_UNAVAILABLE', 'WeChat content security gave no verdict; your draft is kept, retry shortly.');
    if (RANK[verdict.suggest] > RANK[worst.suggest]) worst = verdict;
    if (worst.suggest === 'risky') break;
  }
  if (worst.suggest === 'risky') throw new AppError('CONTENT_RISKY', undefined, { label: worst.label });
  return worst;
}

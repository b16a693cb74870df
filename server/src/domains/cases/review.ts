/**
 * Review of case submissions (medical or compliance):
 *
 *   under_review ──accept──▶ accepted            (reported to the HCP360 engine: cases_accepted)
 *        ▲       ──reject──▶ rejected            (note required)
 *        │       ──request-revision──▶ needs_revision (note required) ──doctor revises──┐
 *        └──────────────────────────────────────────────────────────────────────────────┘
 *
 * Each decision is recorded on the submission and on the version it judged, with the audit entry,
 * in one transaction; acceptance counts towards the doctor's cases_accepted in that same
 * transaction. Afterwards, if the doctor accepted the hcp360-case-result subscribe message when
 * submitting, they are told (the one-time subscription is consumed; a failed send never undoes
 * the decision).
 */
import { CASE_STATUS_LABELS, type CaseDecision, type CaseStatus } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { WechatApiError } from '../../platform/wechat.js';
import { recordAudit } from '../audit/service.js';
import { openidOf } from '../identity/service.js';
import { noteDoctorChanged } from '../tags/evaluate.js';
import { recordCaseAccepted } from '../tags/service.js';
import * as repo from './repo.js';

export const CASE_RESULT_TEMPLATE = 'hcp360-case-result';
/** The page the subscribe message opens (a subpackage page; listed in the fake's DEFAULT_PAGES). */
export const SUBMISSION_PAGE = 'cases/submission/index';

const OUTCOME: Record<CaseDecision, CaseStatus> = { accept: 'accepted', reject: 'rejected', 'request-revision': 'needs_revision' };

export async function decideCase(deps: Deps, actor: Principal, id: string, decision: CaseDecision, note: string | undefined): Promise<{ id: string; status: CaseStatus; version: number }> {
  const now = deps.clock();
  const at = new Date(now);
  const to = OUTCOME[decision];
  const decided = await inTransaction(deps.pool, async (conn) => {
    const s = await repo.findSubmission(conn, id, true);
    if (!s) throw new AppError('NOT_FOUND', 'No such submission.');
    if (s.status !== 'under_review') {
      throw new AppError('INVALID_TRANSITION', `Cannot ${decision} a submission that is ${s.status}.`, { status: s.status, allowed: [] });
    }
    await repo.recordDecision(conn, s, to, note ?? null, actor.id, at);
    if (to === 'accepted') await recordCaseAccepted(conn, s.hcpId, now);
    await recordAudit(
      conn,
      { actor, action: `case.${decision}`, targetType: 'case_submission', targetId: id, detail: { version: s.currentVersion, from: s.status, to, note: note ?? null, secCheck: s.secSuggest } },
      now,
    );
    return s;
  });
  if (to === 'accepted') await noteDoctorChanged(deps, deps.pool, decided.hcpId, 'case_accepted', now);
  if (decided.notify) await notifyDoctor(deps, decided, to, note);
  return { id, status: to, version: decided.currentVersion };
}

/** WeChat `thing` values are at most 20 characters. */
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

async function notifyDoctor(deps: Deps, s: repo.SubmissionRow, to: CaseStatus, note: string | undefined): Promise<void> {
  const log = deps.log.child({ submissionId: s.id });
  try {
    // The subscription is one message: consume it whatever WeChat answers.
    await repo.clearNotify(deps.pool, s.id);
    const [openid, campaign] = await Promise.all([openidOf(deps.pool, deps.config.wechat.appid, s.hcpId), repo.findCampaign(deps.pool, s.campaignId)]);
    if (!openid || !campaign) return;
    await deps.wechat.sendSubscribeMessage({
      touser: openid,
      template_id: CASE_RESULT_TEMPLATE,
      page: `${SUBMISSION_PAGE}?id=${s.id}`,
      data: {
        thing1: { value: thing(campaign.title) },
        phrase2: { value: CASE_STATUS_LABELS[to] },
        thing3: { value: thing(note || (to === 'accepted' ? '感谢您的分享' : '请查看审核意见')) },
      },
    });
  } catch (err) {
    // 43101: the doctor's subscription was already used or refused; anything else is logged.
    const code = err instanceof WechatApiError ? err.errcode : undefined;
    log.warn({ errcode: code, err: (err as Error).message }, 'case result message not sent');
  }
}

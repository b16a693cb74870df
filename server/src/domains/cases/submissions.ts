/**
 * Submitting a case, and revising one a reviewer sent back. Before anything is stored as
 * submitted, in this order:
 *   1. the doctor is a verified HCP (403 VERIFICATION_REQUIRED) and the campaign is open (409);
 *   2. the answers fit the form, field by field (400 VALIDATION_FAILED, details per field);
 *   3. every image named is one this doctor uploaded (400 IMAGE_NOT_FOUND);
 *   4. no patient identifiers in the text (422 PHI_DETECTED, details [{field, kind, start, end}]);
 *   5. WeChat content security: risky → 422 CONTENT_RISKY, review → stored but flagged.
 * A revision is a new version of the same submission, answering the form version the submission
 * started with. The submission, its version, the draft's removal and the audit entry commit together.
 */
import { detectPhiInAnswers, phiFieldsOf, textAnswersOf, validateAnswers, type CaseAnswers, type CaseForm, type SubmitCaseResponse } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { verificationStatusOf } from '../identity/hcpRepo.js';
import { recordAudit } from '../audit/service.js';
import { campaignState, campaignVisibleTo } from './campaigns.js';
import { checkCaseText } from './contentSecurity.js';
import * as repo from './repo.js';

export async function assertVerified(deps: Deps, hcpId: string): Promise<void> {
  if ((await verificationStatusOf(deps.pool, hcpId)) !== 'verified') throw new AppError('VERIFICATION_REQUIRED');
}

/** Steps 2–5 over answers to `form`; returns the cleaned answers and the content-security verdict. */
async function vet(deps: Deps, hcpId: string, form: CaseForm, raw: unknown, submissionId: string | null) {
  const checked = validateAnswers(form, raw, { now: deps.clock() });
  if (!checked.ok) {
    const details = checked.errors.map((e) => ({ path: e.field ? `answers.${e.field}` : 'answers', field: e.field, message: e.message }));
    throw new AppError('VALIDATION_FAILED', `${details[0]!.path}: ${details[0]!.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
  }
  const answers = checked.value;
  const imageFields = form.fields.filter((f) => f.type === 'images');
  const names = imageFields.flatMap((f) => (answers[f.key] as string[] | undefined) ?? []);
  const images = await repo.findCaseImages(deps.pool, names);
  const foreign = imageFields.flatMap((f) =>
    ((answers[f.key] as string[] | undefined) ?? []).filter((n) => {
      const img = images.get(n);
      return !img || img.hcpId !== hcpId || (img.submissionId !== null && img.submissionId !== submissionId);
    }).map(() => f.key),
  );
  if (foreign.length) throw new AppError('IMAGE_NOT_FOUND', undefined, [...new Set(foreign)].map((field) => ({ path: `answers.${field}`, field, message: '图片无效，请重新上传' })));
  const phi = detectPhiInAnswers(textAnswersOf(form, answers), phiFieldsOf(form));
  if (phi.length) throw new AppError('PHI_DETECTED', undefined, phi);
  const verdict = await checkCaseText(deps, hcpId, form, answers);
  return { answers, verdict, images: names };
}

export async function submitCase(deps: Deps, actor: Principal, campaignId: string, raw: unknown, notify: boolean): Promise<SubmitCaseResponse> {
  const hcpId = actor.id;
  const campaign = await campaignVisibleTo(deps.pool, hcpId, campaignId, deps.clock(), { evenIfClosed: true });
  await assertVerified(deps, hcpId);
  if (campaignState(campaign, deps.clock()) !== 'open') throw new AppError('CAMPAIGN_CLOSED');
  const form = (await repo.findForm(deps.pool, campaignId, campaign.formVersion))!;
  const { answers, verdict, images } = await vet(deps, hcpId, form, raw, null);
  const now = deps.clock();
  const at = new Date(now);
  return inTransaction(deps.pool, async (conn) => {
    // The campaign row lock serialises one doctor's concurrent submits against the limit.
    const locked = await repo.findCampaign(conn, campaignId, true);
    if (!locked || campaignState(locked, now) !== 'open') throw new AppError('CAMPAIGN_CLOSED');
    if ((await repo.countSubmissionsOf(conn, hcpId, campaignId)) >= locked.maxPerDoctor) {
      throw new AppError('SUBMISSION_LIMIT', undefined, { maxPerDoctor: locked.maxPerDoctor });
    }
    const sec = { secSuggest: verdict.suggest, secLabel: verdict.label };
    const id = await repo.insertSubmission(conn, { campaignId, hcpId, formVersion: campaign.formVersion, ...sec, notify }, at);
    await repo.insertSubmissionVersion(conn, { submissionId: id, versionNo: 1, answers, ...sec }, at);
    await repo.attachImages(conn, hcpId, id, images);
    await repo.deleteDraft(conn, hcpId, campaignId, '0');
    await recordAudit(conn, { actor, action: 'case.submit', targetType: 'case_submission', targetId: id, detail: { campaignId, version: 1, from: null, to: 'under_review', secCheck: verdict.suggest } }, now);
    return { id, status: 'under_review', version: 1 };
  });
}

/** A new version of a submission the reviewer returned with needs_revision (its author only; 404 for anyone else). */
export async function reviseCase(deps: Deps, actor: Principal, submissionId: string, raw: unknown, notify: boolean): Promise<SubmitCaseResponse> {
  const hcpId = actor.id;
  const s = await repo.findSubmission(deps.pool, submissionId);
  if (!s || s.hcpId !== hcpId) throw new AppError('NOT_FOUND', 'No such submission.');
  await assertVerified(deps, hcpId);
  if (s.status !== 'needs_revision') throw new AppError('INVALID_TRANSITION', `A submission that is ${s.status} cannot be revised.`, { status: s.status, allowed: [] });
  const form = (await repo.findForm(deps.pool, s.campaignId, s.formVersion))!;
  const { answers, verdict, images } = await vet(deps, hcpId, form, raw, submissionId);
  const now = deps.clock();
  const at = new Date(now);
  return inTransaction(deps.pool, async (conn) => {
    const locked = await repo.findSubmission(conn, submissionId, true);
    if (!locked || locked.status !== 'needs_revision') throw new AppError('INVALID_TRANSITION', 'The submission is no longer waiting for a revision.', { status: locked?.status, allowed: [] });
    const versionNo = locked.currentVersion + 1;
    const sec = { secSuggest: verdict.suggest, secLabel: verdict.label };
    await repo.insertSubmissionVersion(conn, { submissionId, versionNo, answers: answers as CaseAnswers, ...sec }, at);
    await repo.markRevised(conn, submissionId, { versionNo, ...sec, notify: notify || locked.notify }, at);
    await repo.attachImages(conn, hcpId, submissionId, images);
    await repo.deleteDraft(conn, hcpId, s.campaignId, submissionId);
    await recordAudit(
      conn,
      { actor, action: 'case.revise', targetType: 'case_submission', targetId: submissionId, detail: { version: versionNo, from: 'needs_revision', to: 'under_review', secCheck: verdict.suggest } },
      now,
    );
    return { id: submissionId, status: 'under_review', version: versionNo };
  });
}

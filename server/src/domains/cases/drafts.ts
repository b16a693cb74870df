/**
 * Drafts, saved on the server as the doctor types so a case can be resumed on another device:
 * one for a new case per campaign, and one per submission being revised. A draft keeps whatever
 * was typed (scalars and lists of strings; objects are refused by the request schema), for the
 * form's fields only, even when it does not validate yet: typing is never lost. `revision`
 * counts saves; a save based on an older revision (another device saved since) is refused with
 * 409 DRAFT_CONFLICT carrying the stored draft, instead of silently overwriting it.
 */
import type { CaseDraft, CaseForm } from '@hcp360/shared';
import { inTransaction } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { campaignState, campaignVisibleTo } from './campaigns.js';
import { imageUrlsOf } from './caseImages.js';
import * as repo from './repo.js';
import { assertVerified } from './submissions.js';

type Target = { campaignId: string; submissionId: string; form: CaseForm; formVersion: number };

/** What a draft is for: a new case in an open campaign, or a revision of the doctor's own returned submission. */
async function targetOf(deps: Deps, hcpId: string, on: { campaignId: string } | { submissionId: string }): Promise<Target> {
  if ('campaignId' in on) {
    const c = await campaignVisibleTo(deps.pool, hcpId, on.campaignId, deps.clock(), { evenIfClosed: true });
    if (campaignState(c, deps.clock()) !== 'open') throw new AppError('CAMPAIGN_CLOSED');
    return { campaignId: c.id, submissionId: '0', form: (await repo.findForm(deps.pool, c.id, c.formVersion))!, formVersion: c.formVersion };
  }
  const s = await repo.findSubmission(deps.pool, on.submissionId);
  if (!s || s.hcpId !== hcpId) throw new AppError('NOT_FOUND', 'No such submission.');
  if (s.status !== 'needs_revision') throw new AppError('INVALID_TRANSITION', `A submission that is ${s.status} cannot be revised.`, { status: s.status, allowed: [] });
  return { campaignId: s.campaignId, submissionId: s.id, form: (await repo.findForm(deps.pool, s.campaignId, s.formVersion))!, formVersion: s.formVersion };
}

function present(deps: Deps, d: repo.DraftRow | undefined, form: CaseForm): CaseDraft {
  if (!d) return { answers: {}, revision: 0, savedAt: null, imageUrls: {} };
  // Keys a newer form version dropped stay stored but are not offered to the form.
  const keys = new Set(form.fields.map((f) => f.key));
  const answers = Object.fromEntries(Object.entries(d.answers).filter(([k]) => keys.has(k))) as CaseDraft['answers'];
  return { answers, revision: d.revision, savedAt: new Date(d.updatedAt).toISOString(), imageUrls: imageUrlsOf(deps, answers) };
}

export async function loadDraft(deps: Deps, hcpId: string, on: { campaignId: string } | { submissionId: string }): Promise<CaseDraft> {
  const t = await targetOf(deps, hcpId, on);
  return present(deps, await repo.findDraft(deps.pool, hcpId, t.campaignId, t.submissionId), t.form);
}

export async function saveDraft(
  deps: Deps,
  hcpId: string,
  on: { campaignId: string } | { submissionId: string },
  input: { answers: Record<string, unknown>; revision?: number },
): Promise<{ revision: number; savedAt: string }> {
  await assertVerified(deps, hcpId);
  const t = await targetOf(deps, hcpId, on);
  const keys = new Set(t.form.fields.map((f) => f.key));
  const unknown = Object.keys(input.answers).filter((k) => !keys.has(k));
  if (unknown.length) {
    throw new AppError('VALIDATION_FAILED', `answers: the form has no field ${unknown.join(', ')}`, unknown.map((k) => ({ path: `answers.${k}`, field: k, message: '表单中没有这一项' })));
  }
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const current = await repo.findDraft(conn, hcpId, t.campaignId, t.submissionId, true);
    if (input.revision !== undefined && current && current.revision !== input.revision) {
      throw new AppError('DRAFT_CONFLICT', undefined, present(deps, current, t.form));
    }
    const revision = (current?.revision ?? 0) + 1;
    await repo.upsertDraft(conn, { hcpId, campaignId: t.campaignId, submissionId: t.submissionId }, { formVersion: t.formVersion, answers: input.answers, revision }, new Date(now));
    return { revision, savedAt: new Date(now).toISOString() };
  });
}

export async function discardDraft(deps: Deps, hcpId: string, on: { campaignId: string } | { submissionId: string }): Promise<void> {
  const t = await targetOf(deps, hcpId, on);
  await repo.deleteDraft(deps.pool, hcpId, t.campaignId, t.submissionId);
}

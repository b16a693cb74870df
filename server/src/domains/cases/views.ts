/**
 * Reading submissions. GET /api/cases/submissions/:id answers its author and reviewers (medical,
 * compliance) and is 404 for everyone else, so ids reveal nothing (no IDOR). Reviewers also see
 * the content-security verdict and who wrote the case; the doctor sees the reviewer's note.
 */
import type { CaseStatus, StaffRole, SubmissionCard, SubmissionView } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { findHcp } from '../identity/hcpRepo.js';
import { CASE_REVIEWERS, imageUrlsOf } from './caseImages.js';
import * as repo from './repo.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isReviewer = (p: Principal) => p.kind === 'staff' && CASE_REVIEWERS.includes(p.role as StaffRole);

export async function submissionFor(deps: Deps, viewer: Principal, id: string): Promise<SubmissionView> {
  const s = await repo.findSubmission(deps.pool, id);
  const reviewer = isReviewer(viewer);
  if (!s || !(reviewer || (viewer.kind === 'hcp' && viewer.id === s.hcpId))) throw new AppError('NOT_FOUND', 'No such submission.');
  const [campaign, form, versions] = await Promise.all([repo.findCampaign(deps.pool, s.campaignId), repo.findForm(deps.pool, s.campaignId, s.formVersion), repo.versionsOf(deps.pool, id)]);
  const current = versions.find((v) => v.versionNo === s.currentVersion)!;
  const view: SubmissionView = {
    id: s.id,
    status: s.status,
    answers: current.answers,
    ...(s.reviewerNote && { reviewerNote: s.reviewerNote }),
    campaignId: s.campaignId,
    campaignTitle: campaign!.title,
    version: s.currentVersion,
    formVersion: s.formVersion,
    form: form!,
    submittedAt: iso(current.submittedAt),
    updatedAt: iso(s.updatedAt),
    versions: versions.map((v) => ({ version: v.versionNo, submittedAt: iso(v.submittedAt), decision: v.decision, note: v.note, decidedAt: v.decidedAt === null ? null : iso(v.decidedAt) })),
    imageUrls: imageUrlsOf(deps, current.answers),
  };
  if (reviewer) {
    const author = await findHcp(deps.pool, s.hcpId);
    view.review = {
      secCheck: s.secSuggest ? { suggest: s.secSuggest, label: s.secLabel ?? 100 } : null,
      author: { id: s.hcpId, name: author?.name ?? null, hospital: author?.hospital ?? null },
    };
  }
  return view;
}

function card(r: repo.SubmissionListRow, forReviewer: boolean): SubmissionCard {
  return {
    id: r.id,
    campaignId: r.campaignId,
    campaignTitle: r.campaignTitle,
    status: r.status,
    version: r.currentVersion,
    reviewerNote: r.reviewerNote,
    submittedAt: iso(r.submittedAt),
    updatedAt: iso(r.updatedAt),
    ...(forReviewer && { flagged: r.secSuggest === 'review' }),
  };
}

/** 我的投稿: the doctor's own submissions, newest first. */
export async function mySubmissions(deps: Deps, hcpId: string, limit: number, beforeId?: string): Promise<{ items: SubmissionCard[]; nextCursor: string | null }> {
  const rows = await repo.listSubmissions(deps.pool, { hcpId, limit: limit + 1, beforeId });
  const page = rows.slice(0, limit);
  return { items: page.map((r) => card(r, false)), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** The review queue (reviewers): filter by status and campaign, newest first. */
export async function reviewQueue(
  deps: Deps,
  q: { status?: CaseStatus; campaignId?: string; limit: number; cursor?: string },
): Promise<{ items: SubmissionCard[]; nextCursor: string | null }> {
  const rows = await repo.listSubmissions(deps.pool, { status: q.status, campaignId: q.campaignId, limit: q.limit + 1, beforeId: q.cursor });
  const page = rows.slice(0, q.limit);
  return { items: page.map((r) => card(r, true)), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

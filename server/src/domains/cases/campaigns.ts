/**
 * Campaigns (marketing): create, edit, close early, archive. A campaign's form is versioned:
 * an edit that changes the form stores a new version, and submissions keep the version they
 * answered. A campaign is open from opens_at until closes_at (read from the clock, nothing runs),
 * for everyone or for the doctors in its segments. Doctors see open campaigns aimed at them;
 * anything else is 404 to them, so its existence is not revealed.
 */
import type { CampaignCard, CampaignDetail, CampaignInput, CampaignState, CaseForm, CaseStatus } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type Db } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { assertSegmentsExist, segmentIdsOf } from '../tags/segments.js';
import * as repo from './repo.js';
import type { CampaignRow } from './repo.js';

export function campaignState(c: Pick<CampaignRow, 'opensAt' | 'closesAt' | 'archived'>, now: number): CampaignState {
  if (c.archived || c.closesAt <= now) return 'closed';
  return c.opensAt > now ? 'upcoming' : 'open';
}

function card(c: CampaignRow, now: number): CampaignCard {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    topics: c.topics,
    opensAt: new Date(c.opensAt).toISOString(),
    closesAt: new Date(c.closesAt).toISOString(),
    state: campaignState(c, now),
  };
}

async function checkedFields(db: Db, input: CampaignInput): Promise<repo.CampaignFields> {
  await assertSegmentsExist(db, input.segmentIds);
  return {
    title: input.title,
    description: input.description,
    topics: input.topics,
    opensAt: new Date(input.opensAt),
    closesAt: new Date(input.closesAt),
    audienceAll: input.segmentIds.length === 0,
    maxPerDoctor: input.maxPerDoctor,
  };
}

export async function createCampaign(deps: Deps, actor: Principal, input: CampaignInput): Promise<{ id: string; formVersion: number }> {
  const now = deps.clock();
  const at = new Date(now);
  return inTransaction(deps.pool, async (conn) => {
    const id = await repo.insertCampaign(conn, await checkedFields(conn, input), actor.id, at);
    await repo.insertForm(conn, id, 1, input.form, actor.id, at);
    await repo.replaceAudience(conn, id, input.segmentIds);
    await recordAudit(conn, { actor, action: 'case_campaign.create', targetType: 'case_campaign', targetId: id, detail: { formVersion: 1 } }, now);
    return { id, formVersion: 1 };
  });
}

/** The whole campaign again; a changed form becomes a new form version. */
export async function updateCampaign(deps: Deps, actor: Principal, id: string, input: CampaignInput): Promise<{ id: string; formVersion: number }> {
  const now = deps.clock();
  const at = new Date(now);
  return inTransaction(deps.pool, async (conn) => {
    const c = await repo.findCampaign(conn, id, true);
    if (!c) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
    if (c.archived) throw new AppError('INVALID_TRANSITION', 'An archived campaign cannot be edited.', { status: 'archived', allowed: [] });
    const fields = await checkedFields(conn, input);
    const current = await repo.findForm(conn, id, c.formVersion);
    const formChanged = JSON.stringify(current) !== JSON.stringify(input.form);
    const formVersion = formChanged ? c.formVersion + 1 : c.formVersion;
    if (formChanged) await repo.insertForm(conn, id, formVersion, input.form, actor.id, at);
    await repo.updateCampaign(conn, id, { ...fields, formVersion }, at);
    await repo.replaceAudience(conn, id, input.segmentIds);
    await recordAudit(conn, { actor, action: 'case_campaign.edit', targetType: 'case_campaign', targetId: id, detail: { formVersion, formChanged } }, now);
    return { id, formVersion };
  });
}

/** Closes an open (or upcoming) campaign now; submissions already made are reviewed as usual. */
export async function closeCampaign(deps: Deps, actor: Principal, id: string): Promise<{ id: string; state: CampaignState }> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const c = await repo.findCampaign(conn, id, true);
    if (!c) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
    const from = campaignState(c, now);
    if (from === 'closed') throw new AppError('INVALID_TRANSITION', 'The campaign is already closed.', { status: from, allowed: ['archive'] });
    await repo.setCampaignWindowEnd(conn, id, new Date(now), new Date(now));
    await recordAudit(conn, { actor, action: 'case_campaign.close', targetType: 'case_campaign', targetId: id, detail: { from, to: 'closed' } }, now);
    return { id, state: 'closed' };
  });
}

/** Hides a campaign from doctors for good (its submissions stay, and stay reviewable). */
export async function archiveCampaign(deps: Deps, actor: Principal, id: string): Promise<{ id: string; state: CampaignState }> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const c = await repo.findCampaign(conn, id, true);
    if (!c) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
    if (c.archived) throw new AppError('INVALID_TRANSITION', 'The campaign is already archived.', { status: 'archived', allowed: [] });
    await repo.archiveCampaign(conn, id, new Date(now));
    await recordAudit(conn, { actor, action: 'case_campaign.archive', targetType: 'case_campaign', targetId: id, detail: {} }, now);
    return { id, state: 'closed' };
  });
}

// ---- staff views --------------------------------------------------------------------------------

export interface StaffCampaign extends CampaignCard {
  archived: boolean;
  segmentIds: string[];
  maxPerDoctor: number;
  formVersion: number;
  submissions: Partial<Record<CaseStatus, number>>;
}

export async function listCampaignsForStaff(deps: Deps, limit: number, beforeId?: string): Promise<{ items: StaffCampaign[]; nextCursor: string | null }> {
  const now = deps.clock();
  const rows = await repo.listCampaigns(deps.pool, { includeArchived: true, limit: limit + 1, beforeId });
  const page = rows.slice(0, limit);
  const ids = page.map((c) => c.id);
  const [audience, counts] = await Promise.all([repo.audienceOf(deps.pool, ids), repo.submissionCounts(deps.pool, ids)]);
  return {
    items: page.map((c) => ({ ...card(c, now), archived: c.archived, segmentIds: audience.get(c.id) ?? [], maxPerDoctor: c.maxPerDoctor, formVersion: c.formVersion, submissions: counts.get(c.id) ?? {} })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

export async function campaignForStaff(deps: Deps, id: string): Promise<StaffCampaign & { form: CaseForm }> {
  const c = await repo.findCampaign(deps.pool, id);
  if (!c) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
  const [audience, counts, form] = await Promise.all([repo.audienceOf(deps.pool, [id]), repo.submissionCounts(deps.pool, [id]), repo.findForm(deps.pool, id, c.formVersion)]);
  return { ...card(c, deps.clock()), archived: c.archived, segmentIds: audience.get(id) ?? [], maxPerDoctor: c.maxPerDoctor, formVersion: c.formVersion, submissions: counts.get(id) ?? {}, form: form! };
}

// ---- doctors ------------------------------------------------------------------------------------

/** Whether the campaign is aimed at this doctor (everyone, or a segment they are in). */
async function inAudience(db: Db, c: CampaignRow, hcpId: string): Promise<boolean> {
  if (c.audienceAll) return true;
  const [mine, audience] = await Promise.all([segmentIdsOf(db, hcpId), repo.audienceOf(db, [c.id])]);
  return (audience.get(c.id) ?? []).some((s) => mine.includes(s));
}

/** GET /api/cases/campaigns: the campaigns open now for this doctor, newest first. */
export async function openCampaignsFor(deps: Deps, hcpId: string): Promise<{ items: CampaignCard[] }> {
  const now = deps.clock();
  const rows = await repo.listCampaigns(deps.pool, { liveAt: new Date(now), limit: 100 });
  const targeted = rows.filter((c) => !c.audienceAll);
  let mine: string[] = [];
  let audience = new Map<string, string[]>();
  if (targeted.length) [mine, audience] = await Promise.all([segmentIdsOf(deps.pool, hcpId), repo.audienceOf(deps.pool, targeted.map((c) => c.id))]);
  const visible = rows.filter((c) => c.audienceAll || (audience.get(c.id) ?? []).some((s) => mine.includes(s)));
  return { items: visible.map((c) => card(c, now)) };
}

/**
 * A campaign this doctor may open: open now and aimed at them; 404 otherwise. With
 * `evenIfClosed`, a closed one is returned too (for reading what one submitted to it).
 */
export async function campaignVisibleTo(db: Db, hcpId: string, id: string, now: number, opts: { evenIfClosed?: boolean } = {}): Promise<CampaignRow> {
  const c = await repo.findCampaign(db, id);
  const state = c && campaignState(c, now);
  if (!c || state === 'upcoming' || (state === 'closed' && !opts.evenIfClosed) || !(await inAudience(db, c, hcpId))) {
    throw new AppError('NOT_FOUND', 'No such campaign.');
  }
  return c;
}

export async function campaignDetailFor(deps: Deps, hcpId: string, id: string): Promise<CampaignDetail> {
  const now = deps.clock();
  const c = await campaignVisibleTo(deps.pool, hcpId, id, now);
  const [form, mine] = await Promise.all([repo.findForm(deps.pool, id, c.formVersion), repo.countSubmissionsOf(deps.pool, hcpId, id)]);
  return { ...card(c, now), formVersion: c.formVersion, form: form!, maxPerDoctor: c.maxPerDoctor, mySubmissions: mine };
}

/**
 * The staff view of one doctor (contract: GET /api/admin/hcps/:id). Static tags come from the
 * profile; behavioural and predictive tags and topic affinities are added by the HCP360 engine.
 */
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { findLiveHcp } from './hcpRepo.js';
import { presentProfile } from './presenters.js';

export async function getHcpProfileForStaff(deps: Deps, id: string) {
  const hcp = await findLiveHcp(deps.pool, id);
  if (!hcp) throw new AppError('NOT_FOUND', `No doctor ${id}.`);
  const updatedAt = hcp.updated_at.toISOString();
  const staticTags = (
    [
      ['title', hcp.title],
      ['department', hcp.department],
      ['hospital_level', hcp.hospital_level],
      ['province', hcp.province],
      ['city', hcp.city],
      ['verification', hcp.verification_status],
    ] as const
  )
    .filter(([, v]) => v !== null)
    .map(([key, value]) => ({ key, value: value as string, updatedAt }));
  return {
    id: hcp.id,
    profile: presentProfile(hcp),
    tags: staticTags,
    affinities: [] as { topic: string; score: number }[],
    lifecycle: { stage: hcp.lifecycle_stage, since: hcp.lifecycle_since.toISOString() },
    rep: null,
  };
}

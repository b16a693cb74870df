/** Which fields of a live stream leave the server, for staff (secrets only when allowed) and for doctors. */
import { RX_NOTICE, type LiveCard, type LiveReview, type LiveStaffView } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import type { LiveExtras, LiveRow } from './repo.js';
import { sharePathOf } from './streams.js';
import { allowedLiveActions, liveStatus, maySeeSecrets } from './workflow.js';

export function presentForStaff(
  l: LiveRow,
  extras: LiveExtras,
  ctx: { actor: Principal; now: number; names: Map<string, string>; registrations: number; scene?: { token: string; posterUrl: string } },
): LiveStaffView {
  const name = (id: string | null) => (id ? (ctx.names.get(id) ?? `#${id}`) : '');
  const reviews: LiveReview[] = [];
  if (l.dept_reviewer_id && l.dept_reviewed_at) {
    reviews.push({ step: 'dept', by: l.dept_reviewer_id, byName: name(l.dept_reviewer_id), at: l.dept_reviewed_at.toISOString(), decision: l.rejected_step === 'dept' ? 'rejected' : 'approved', comment: l.dept_comment });
  }
  if (l.compliance_reviewer_id && l.compliance_reviewed_at) {
    reviews.push({
      step: 'compliance',
      by: l.compliance_reviewer_id,
      byName: name(l.compliance_reviewer_id),
      at: l.compliance_reviewed_at.toISOString(),
      decision: l.rejected_step === 'compliance' ? 'rejected' : 'approved',
      comment: l.compliance_comment,
    });
  }
  const secrets = maySeeSecrets(ctx.actor, l.applicant_id) && l.stream_key !== null;
  const repId = l.applicant_role === 'rep' ? l.applicant_id : null;
  return {
    id: l.id,
    status: liveStatus(l, ctx.now),
    title: l.title,
    description: l.description,
    topics: extras.topics.get(l.id) ?? [],
    speakers: extras.speakers.get(l.id) ?? [],
    startAt: l.start_at.toISOString(),
    endAt: (l.ended_at ?? l.end_at).toISOString(),
    rxOnly: l.rx_only === 1,
    segmentIds: extras.segments.get(l.id) ?? [],
    expectedAttendance: l.expected_attendance,
    applicant: { id: l.applicant_id, name: name(l.applicant_id), role: l.applicant_role },
    reviews,
    cancelComment: l.cancel_comment,
    registrations: ctx.registrations,
    ...(secrets && { streamKey: l.stream_key!, pushUrl: l.push_url! }),
    ...(l.play_url && { playUrl: l.play_url }),
    ...(ctx.scene && { posterUrl: ctx.scene.posterUrl, sceneToken: ctx.scene.token, sharePath: sharePathOf(l.id, repId) }),
    replayUrl: l.replay_url,
    allowedActions: allowedLiveActions(l, ctx.now),
    createdAt: l.created_at.toISOString(),
  };
}

export function presentCard(l: LiveRow, extras: LiveExtras, now: number, registered: boolean): LiveCard {
  return {
    id: l.id,
    title: l.title,
    startAt: l.start_at.toISOString(),
    endAt: (l.ended_at ?? l.end_at).toISOString(),
    status: liveStatus(l, now),
    topics: extras.topics.get(l.id) ?? [],
    rxOnly: l.rx_only === 1,
    registered,
    speakers: extras.speakers.get(l.id) ?? [],
    hasReplay: l.replay_url !== null,
  };
}

export const liveNotice = (l: LiveRow) => (l.rx_only === 1 ? { notice: RX_NOTICE } : {});

/**
 * Clusters of similar doctors for exploration: same department and title band, then the
 * department, then everyone (DESIGN §5; the widening is 放大聚类). Keys are what feed_popularity
 * and feed_clusters store.
 */
import type { ClusterLevel } from '@hcp360/shared';

export type TitleBand = 'junior' | 'senior';

const BANDS: Record<string, TitleBand> = { 住院医师: 'junior', 主治医师: 'junior', 副主任医师: 'senior', 主任医师: 'senior' };
const BAND_LABELS: Record<TitleBand, string> = { junior: '住院/主治', senior: '副主任/主任' };

export function titleBand(title: string | null): TitleBand | null {
  return (title && BANDS[title]) || null;
}

export interface Cluster {
  level: ClusterLevel;
  key: string;
  label: string;
}

/** Every cluster a doctor belongs to, narrowest first (always ending with everyone). */
export function clustersOf(department: string | null, title: string | null): Cluster[] {
  const out: Cluster[] = [];
  const band = titleBand(title);
  if (department && band) out.push({ level: 'department_title', key: `dt:${department}|${band}`, label: `${department} · ${BAND_LABELS[band]}` });
  if (department) out.push({ level: 'department', key: `d:${department}`, label: department });
  out.push({ level: 'everyone', key: 'all', label: '全部医生' });
  return out;
}

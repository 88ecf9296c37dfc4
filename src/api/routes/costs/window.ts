import { clusterTime } from '../../../lib/clock.ts';
import type { ClusterRow } from '../../../services/clusters/internal.ts';
import { reportWindow } from '../billing/window.ts';

/** A report window in the cluster's own clock, ending no later than the cluster's now. */
export function clusterWindow(row: ClusterRow, q: { from?: string; to?: string }, realNowMs: number): [number, number] {
  const now = clusterTime(realNowMs, { originMs: row.clockOriginMs, timeScale: row.timeScale, skewMs: row.clockSkewMs });
  const d = new Date(now);
  // At the very start of a month the default window is still one instant long, not empty.
  const [from, to] = reportWindow(q, now, Math.max(now, Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) + 1));
  return [from, Math.min(to, Math.max(from + 1, now))];
}

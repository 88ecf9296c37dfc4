import { clusterTime } from '../../../lib/clock.ts';
import type { ClusterRow } from '../../../services/clusters/internal.ts';
import { ApiError } from '../../errors.ts';

const HOUR = 3_600_000;
/** The sampling interval: a finer step would only repeat values. */
const MIN_STEP_MS = 15_000;
const TARGET_POINTS = 120;
export const MAX_POINTS = 2_000;

export function clusterClockOf(row: ClusterRow) {
  return { originMs: row.clockOriginMs, timeScale: row.timeScale, skewMs: row.clockSkewMs };
}

function parseDuration(step: string): number {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(step)!;
  return Number(m[1]) * ({ '': 1000, s: 1000, m: 60_000, h: HOUR } as Record<string, number>)[m[2]];
}

/** A report window on the cluster's clock: defaults to the last `range` (1 h), steps of at least 15 s, at most MAX_POINTS. */
export function monitoringWindow(row: ClusterRow, q: { from?: string; to?: string; step?: string; range?: string }, realNowMs: number) {
  const clock = clusterClockOf(row);
  const now = clusterTime(realNowMs, clock);
  const endMs = row.deletedAt !== null ? Math.min(now, clusterTime(row.deletedAt, clock)) : now;
  const toMs = q.to ? Date.parse(q.to) : endMs;
  const fromMs = q.from ? Date.parse(q.from) : toMs - (q.range ? parseDuration(q.range) : HOUR);
  if (!(fromMs < toMs)) throw new ApiError('VALIDATION_FAILED', 'from must be before to', { issues: [{ field: 'from', message: 'must be before to' }] });
  const auto = Math.ceil((toMs - fromMs) / TARGET_POINTS / MIN_STEP_MS) * MIN_STEP_MS;
  const stepMs = q.step ? parseDuration(q.step) : Math.max(MIN_STEP_MS, auto);
  if (stepMs < 1000) throw new ApiError('VALIDATION_FAILED', 'step must be at least 1s', { issues: [{ field: 'step', message: 'must be at least 1s' }] });
  if ((toMs - fromMs) / stepMs + 1 > MAX_POINTS) {
    throw new ApiError('VALIDATION_FAILED', `window of ${(toMs - fromMs) / 1000}s at step ${stepMs / 1000}s exceeds ${MAX_POINTS} points`, {
      issues: [{ field: 'step', message: `too many points (max ${MAX_POINTS}); use a larger step` }],
    });
  }
  return { fromMs, toMs, stepMs, endMs, nowMs: now };
}

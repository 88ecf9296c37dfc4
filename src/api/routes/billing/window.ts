import { ApiError } from '../../errors.ts';

/** Parses optional ISO `from`/`to` into ms, defaulting to [start of `now`'s UTC month, now). */
export function reportWindow(q: { from?: string; to?: string }, nowMs: number): [number, number] {
  const d = new Date(nowMs);
  const from = q.from ? Date.parse(q.from) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = q.to ? Date.parse(q.to) : nowMs;
  if (!(to > from)) throw new ApiError('VALIDATION_FAILED', 'to: must be after from', { issues: [{ field: 'to', message: 'must be after from' }] });
  // a year of hours is the most any report reads at once
  if (to - from > 366 * 24 * 3_600_000) throw new ApiError('VALIDATION_FAILED', 'to: the window may span at most 366 days', { issues: [{ field: 'to', message: 'at most 366 days after from' }] });
  return [from, to];
}

import { ApiError } from '../../errors.ts';

/** Parses optional ISO `from`/`to` into ms, defaulting to [start of `now`'s UTC month, `defaultTo`
 * (now unless told)). */
export function reportWindow(q: { from?: string; to?: string }, nowMs: number, defaultTo = nowMs): [number, number] {
  const d = new Date(nowMs);
  const from = q.from ? Date.parse(q.from) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = q.to ? Date.parse(q.to) : defaultTo;
  if (!(to > from)) throw new ApiError('VALIDATION_FAILED', 'to: must be after from', { issues: [{ field: 'to', message: 'must be after from' }] });
  // a year of hours is the most any report reads at once
  if (to - from > 366 * 24 * 3_600_000)
    throw new ApiError('VALIDATION_FAILED', 'to: the window may span at most 366 days', { issues: [{ field: 'to', message: 'at most 366 days after from' }] });
  return [from, to];
}

/** The end of `nowMs`'s UTC month: usage without `to` covers the month, each cluster up to its own now. */
export function monthEnd(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

import type { IntervalAttributes, IntervalKind, UsageInterval } from '../../../src/billing/intervals.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const HOUR = 3_600_000;
export const MIN = 60_000;
export const SEC = 1000;
export const GiB = 2 ** 30;

let n = 0;
/** An interval of cluster `cls_a` (tenant `ten_a`) from `start` to `end` (null = still open). */
export function interval<K extends IntervalKind>(
  kind: K,
  subject: string,
  attributes: IntervalAttributes[K],
  start: number,
  end: number | null = null,
  clusterId = 'cls_a',
): UsageInterval<K> {
  n += 1;
  return { id: `ui_${n}`, tenantId: 'ten_a', clusterId, kind, subject, attributes, startedAt: start, endedAt: end };
}

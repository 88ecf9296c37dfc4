import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../store/db.ts';
import { usageRecords } from '../../store/schema/index.ts';
import { intervalsOverlapping } from '../interval-reader.ts';
import type { UsageInterval } from '../intervals.ts';
import { centsPreservingTotal, formatCents, money, type Money } from '../money.ts';
import { readClusterClocks, tailRecords } from '../reports/tail.ts';
import { allocate, IDLE, type AllocateInput, type AllocationGroupBy } from './allocate.ts';

export interface CostAllocationLine {
  name: string;
  cpuCost: Money;
  memoryCost: Money;
  storageCost: Money;
  loadBalancerCost: Money;
  podCost: Money;
  sharedIdleCost: Money;
  totalCost: Money;
}

export interface CostAllocation {
  clusterId: string;
  from: string;
  to: string;
  groupBy: AllocationGroupBy;
  shareIdle: 'none' | 'weighted';
  allocations: CostAllocationLine[];
  idle: { name: typeof IDLE; cpuCost: Money; memoryCost: Money; totalCost: Money };
  overhead: { name: '__overhead__'; controlPlaneCost: Money };
  /** Equals the cluster's usage in the window (rated and estimated), hence its invoice subtotal for a whole month. */
  total: Money;
  /** The part of the total not rated yet. */
  estimated: Money;
  totalMicro: number;
}

/** Allocates the hours of one cluster in [fromMs, toMs) (cluster clock) to its workloads: the rated
 * ones and, given `realNowMs`, the estimate of those not rated yet, as the invoice counts them. */
export async function clusterCostAllocation(
  db: Db,
  q: {
    clusterId: string;
    fromMs: number;
    toMs: number;
    groupBy: AllocationGroupBy;
    shareIdle?: 'none' | 'weighted';
    usage?: AllocateInput['usage'];
    realNowMs?: number;
  },
): Promise<CostAllocation> {
  const rows = await db
    .select({
      hourStart: usageRecords.hourStart,
      kind: usageRecords.kind,
      subject: usageRecords.subject,
      amountMicro: usageRecords.amountMicro,
      billedMs: usageRecords.billedMs,
      attributes: usageRecords.attributes,
    })
    .from(usageRecords)
    .where(and(eq(usageRecords.clusterId, q.clusterId), gte(usageRecords.hourStart, q.fromMs), lt(usageRecords.hourStart, q.toMs)))
    .all();
  const records = rows.map((r) => ({ ...r, attributes: JSON.parse(r.attributes) as Record<string, unknown> }));
  const clocks = q.realNowMs === undefined ? [] : await readClusterClocks(db, [q.clusterId], q.realNowMs);
  const tail = await tailRecords(db, clocks, q.fromMs, q.toMs);
  const nowOf = new Map(clocks.map((c) => [c.id, c.nowMs]));
  records.push(...tail.map((r) => ({ ...r, windowEndMs: nowOf.get(r.clusterId) })));
  const hours = records.map((r) => r.hourStart);
  const span: [number, number] = hours.length ? [Math.min(...hours), Math.max(...hours) + 3_600_000] : [q.fromMs, q.fromMs];
  const intervals = (await intervalsOverlapping(db, [q.clusterId], span[0], span[1])).get(q.clusterId) ?? [];
  const pods = intervals.filter((i): i is UsageInterval<'pod'> => i.kind === 'pod');
  const shareIdle = q.shareIdle ?? 'none';
  const result = allocate({ records, pods, groupBy: q.groupBy, usage: q.usage, shareIdle });

  // Round the totals together so that the allocation lines, idle and overhead add up to the total.
  const cents = centsPreservingTotal([...result.allocations.map((a) => a.totalMicro), result.idle.totalMicro, result.overheadMicro]);
  const usd = (c: number) => ({ amount: formatCents(c), currency: 'USD' as const });
  return {
    clusterId: q.clusterId,
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
    groupBy: q.groupBy,
    shareIdle,
    allocations: result.allocations.map((a, i) => ({
      name: a.name,
      cpuCost: money(a.cpuMicro),
      memoryCost: money(a.memoryMicro),
      storageCost: money(a.storageMicro),
      loadBalancerCost: money(a.loadBalancerMicro),
      podCost: money(a.podMicro),
      sharedIdleCost: money(a.sharedIdleMicro),
      totalCost: usd(cents[i]),
    })),
    idle: { name: IDLE, cpuCost: money(result.idle.cpuMicro), memoryCost: money(result.idle.memoryMicro), totalCost: usd(cents[result.allocations.length]) },
    overhead: { name: '__overhead__', controlPlaneCost: usd(cents[result.allocations.length + 1]) },
    total: usd(cents.reduce((a, b) => a + b, 0)),
    estimated: money(tail.reduce((a, r) => a + r.amountMicro, 0)),
    totalMicro: result.totalMicro,
  };
}

import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../store/db.ts';
import { clusters, usageRecords } from '../../store/schema/index.ts';
import { centsPreservingTotal, formatCents, formatNanoPrice, formatQuantity, type Money } from '../money.ts';
import { describeLineItem } from './line-items.ts';

export type UsageGroupBy = 'cluster' | 'lineItem' | 'day' | 'hour';

export interface UsageGroup {
  /** hour: the hour start; day: `YYYY-MM-DD`. */
  hour?: string;
  day?: string;
  clusterId?: string;
  clusterName?: string;
  item?: string;
  description?: string;
  quantity?: string;
  unit?: string;
  unitPrice?: Money;
  amount: Money;
}

export interface UsageReport {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  groups: UsageGroup[];
  total: Money;
}

interface Row {
  hourStart?: number;
  day?: string;
  clusterId?: string;
  clusterName?: string;
  provider?: string;
  lineItem?: string;
  unit?: string;
  unitPriceNano?: number;
  quantityMicro?: number;
  amountMicro: number;
}

const amount = sql<number>`sum(${usageRecords.amountMicro})`;
const quantity = sql<number>`sum(${usageRecords.quantityMicro})`;
const day = sql<string>`strftime('%Y-%m-%d', ${usageRecords.hourStart} / 1000, 'unixepoch')`;
const clusterName = sql<string>`coalesce(${clusters.name}, ${usageRecords.clusterId})`;

/** The tenant's rated usage of the hours in [fromMs, toMs), summed by the requested key. */
export async function usageReport(db: Db, tenantId: string, fromMs: number, toMs: number, groupBy: UsageGroupBy, limit = 10_000): Promise<UsageReport> {
  const where = and(eq(usageRecords.tenantId, tenantId), gte(usageRecords.hourStart, fromMs), lt(usageRecords.hourStart, toMs));
  const base = db.select(selection(groupBy)).from(usageRecords).leftJoin(clusters, eq(clusters.id, usageRecords.clusterId)).where(where);
  const keys = groupKeys(groupBy);
  const rows = (await base.groupBy(...keys).orderBy(...keys).limit(limit).all()) as unknown as Row[];
  const cents = centsPreservingTotal(rows.map((r) => r.amountMicro));
  const groups = rows.map((r, i) => toGroup(r, cents[i]));
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    groupBy,
    groups,
    total: { amount: formatCents(cents.reduce((a, b) => a + b, 0)), currency: 'USD' },
  };
}

type Field = SQL<unknown> | AnySQLiteColumn;

function selection(groupBy: UsageGroupBy): Record<string, Field> {
  switch (groupBy) {
    case 'cluster':
      return { clusterId: usageRecords.clusterId, clusterName, amountMicro: amount };
    case 'day':
      return { day, amountMicro: amount };
    case 'lineItem':
      return { provider: usageRecords.provider, lineItem: usageRecords.lineItem, unit: usageRecords.unit, unitPriceNano: usageRecords.unitPriceNano, quantityMicro: quantity, amountMicro: amount };
    case 'hour':
      return { hourStart: usageRecords.hourStart, clusterId: usageRecords.clusterId, clusterName, provider: usageRecords.provider, lineItem: usageRecords.lineItem, unit: usageRecords.unit, unitPriceNano: usageRecords.unitPriceNano, quantityMicro: quantity, amountMicro: amount };
  }
}

function groupKeys(groupBy: UsageGroupBy): Field[] {
  switch (groupBy) {
    // clusters.name follows from the cluster id; standard SQL (PostgreSQL) wants it grouped all the same.
    case 'cluster':
      return [usageRecords.clusterId, clusters.name];
    case 'day':
      return [day];
    case 'lineItem':
      return [usageRecords.provider, usageRecords.lineItem, usageRecords.unit, usageRecords.unitPriceNano];
    case 'hour':
      return [usageRecords.hourStart, usageRecords.clusterId, usageRecords.provider, usageRecords.lineItem, usageRecords.unit, usageRecords.unitPriceNano, clusters.name];
  }
}

function toGroup(r: Row, cents: number): UsageGroup {
  const g: UsageGroup = { amount: { amount: formatCents(cents), currency: 'USD' } };
  if (r.hourStart !== undefined) g.hour = new Date(r.hourStart).toISOString();
  if (r.day !== undefined) g.day = r.day;
  if (r.clusterId !== undefined) Object.assign(g, { clusterId: r.clusterId, clusterName: r.clusterName });
  if (r.lineItem !== undefined) {
    Object.assign(g, {
      item: r.lineItem,
      description: describeLineItem(r.provider ?? '', r.lineItem),
      quantity: formatQuantity(r.quantityMicro ?? 0),
      unit: r.unit,
      unitPrice: { amount: formatNanoPrice(r.unitPriceNano ?? 0), currency: 'USD' },
    });
  }
  return g;
}

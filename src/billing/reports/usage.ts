import { and, eq, gte, lt, max, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../store/db.ts';
import { billingCursors, clusters, usageRecords } from '../../store/schema/index.ts';
import { centsPreservingTotal, formatCents, formatNanoPrice, formatQuantity, money, type Money } from '../money.ts';
import type { UsageRecord } from '../rating/rate-hour.ts';
import { describeLineItem } from './line-items.ts';
import { clustersWithTail, tailRecords } from './tail.ts';

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
  /** hour groups: the hour is not rated yet (priced from what ran, up to the cluster's now). */
  estimated?: boolean;
}

export interface UsageReport {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  groups: UsageGroup[];
  total: Money;
  /** Cluster-clock instant before which every amount is rated (final); null when nothing is. */
  ratedThrough: string | null;
  /** The part of the total not rated yet: hours after a cluster's cursor, up to its now. */
  estimated: Money;
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
  estimated?: boolean;
}

const amount = sql<number>`sum(${usageRecords.amountMicro})`;
const quantity = sql<number>`sum(${usageRecords.quantityMicro})`;
const day = sql<string>`strftime('%Y-%m-%d', ${usageRecords.hourStart} / 1000, 'unixepoch')`;
const clusterName = sql<string>`coalesce(${clusters.name}, ${usageRecords.clusterId})`;

/**
 * The tenant's usage of the cluster-clock hours in [fromMs, toMs), summed by the requested key: rated
 * records, plus every hour not rated yet up to each cluster's own now, priced the way the rating
 * will price it (`estimated`). The same records and estimate make the invoice, so a month's usage
 * equals its invoice subtotal.
 */
export async function usageReport(
  db: Db,
  tenantId: string,
  fromMs: number,
  toMs: number,
  groupBy: UsageGroupBy,
  opts: { realNowMs: number; limit?: number },
): Promise<UsageReport> {
  const where = and(eq(usageRecords.tenantId, tenantId), gte(usageRecords.hourStart, fromMs), lt(usageRecords.hourStart, toMs));
  const base = db.select(selection(groupBy)).from(usageRecords).leftJoin(clusters, eq(clusters.id, usageRecords.clusterId)).where(where);
  const keys = groupKeys(groupBy);
  const rated = (await base
    .groupBy(...keys)
    .orderBy(...keys)
    .limit(opts.limit ?? 10_000)
    .all()) as unknown as Row[];
  const list = await clustersWithTail(db, tenantId, opts.realNowMs);
  const tail = await tailRecords(db, list, fromMs, toMs);
  const names = new Map(list.map((c) => [c.id, c.name]));
  const rows = mergeRows(
    groupBy,
    rated,
    tail.map((r) => tailRow(groupBy, r, names.get(r.clusterId) ?? r.clusterId)),
  );
  const cents = centsPreservingTotal(rows.map((r) => r.amountMicro));
  const groups = rows.map((r, i) => toGroup(r, cents[i]));
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    groupBy,
    groups,
    total: { amount: formatCents(cents.reduce((a, b) => a + b, 0)), currency: 'USD' },
    ratedThrough: await ratedThrough(db, tenantId, tail, toMs),
    estimated: money(tail.reduce((a, r) => a + r.amountMicro, 0)),
  };
}

/** The earliest unrated hour reported, or, with none, the latest cursor of the tenant (at most `toMs`). */
export async function ratedThrough(db: Db, tenantId: string, tail: UsageRecord[], toMs: number): Promise<string | null> {
  if (tail.length > 0) return new Date(Math.min(...tail.map((r) => r.hourStart))).toISOString();
  const row = await db
    .select({ at: max(billingCursors.ratedUntil) })
    .from(billingCursors)
    .where(eq(billingCursors.tenantId, tenantId))
    .get();
  return row?.at == null ? null : new Date(Math.min(row.at, toMs)).toISOString();
}

function tailRow(groupBy: UsageGroupBy, r: UsageRecord, clusterName: string): Row {
  const day = new Date(r.hourStart).toISOString().slice(0, 10);
  const line = {
    provider: r.provider,
    lineItem: r.lineItem,
    unit: r.unit,
    unitPriceNano: r.unitPriceNano,
    quantityMicro: r.quantityMicro,
    amountMicro: r.amountMicro,
  };
  switch (groupBy) {
    case 'cluster':
      return { clusterId: r.clusterId, clusterName, amountMicro: r.amountMicro };
    case 'day':
      return { day, amountMicro: r.amountMicro };
    case 'lineItem':
      return line;
    case 'hour':
      return { hourStart: r.hourStart, clusterId: r.clusterId, clusterName, ...line, estimated: true };
  }
}

function rowKey(groupBy: UsageGroupBy, r: Row): string {
  switch (groupBy) {
    case 'cluster':
      return r.clusterId ?? '';
    case 'day':
      return r.day ?? '';
    case 'lineItem':
      return [r.provider, r.lineItem, r.unit, r.unitPriceNano].join('\u0000');
    case 'hour':
      return [String(r.hourStart).padStart(16, '0'), r.clusterId, r.provider, r.lineItem, r.unit, r.unitPriceNano].join('\u0000');
  }
}

/** Rated rows plus the estimate's, summed by key, in the key order SQL sorts the rated ones by. */
function mergeRows(groupBy: UsageGroupBy, rated: Row[], tail: Row[]): Row[] {
  if (tail.length === 0) return rated;
  const byKey = new Map<string, Row>(rated.map((r) => [rowKey(groupBy, r), { ...r }]));
  for (const t of tail) {
    const key = rowKey(groupBy, t);
    const had = byKey.get(key);
    if (!had) byKey.set(key, { ...t });
    else {
      had.amountMicro += t.amountMicro;
      if (had.quantityMicro !== undefined) had.quantityMicro += t.quantityMicro ?? 0;
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

type Field = SQL<unknown> | AnySQLiteColumn;

function selection(groupBy: UsageGroupBy): Record<string, Field> {
  switch (groupBy) {
    case 'cluster':
      return { clusterId: usageRecords.clusterId, clusterName, amountMicro: amount };
    case 'day':
      return { day, amountMicro: amount };
    case 'lineItem':
      return {
        provider: usageRecords.provider,
        lineItem: usageRecords.lineItem,
        unit: usageRecords.unit,
        unitPriceNano: usageRecords.unitPriceNano,
        quantityMicro: quantity,
        amountMicro: amount,
      };
    case 'hour':
      return {
        hourStart: usageRecords.hourStart,
        clusterId: usageRecords.clusterId,
        clusterName,
        provider: usageRecords.provider,
        lineItem: usageRecords.lineItem,
        unit: usageRecords.unit,
        unitPriceNano: usageRecords.unitPriceNano,
        quantityMicro: quantity,
        amountMicro: amount,
      };
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
      return [
        usageRecords.hourStart,
        usageRecords.clusterId,
        usageRecords.provider,
        usageRecords.lineItem,
        usageRecords.unit,
        usageRecords.unitPriceNano,
        clusters.name,
      ];
  }
}

function toGroup(r: Row, cents: number): UsageGroup {
  const g: UsageGroup = { amount: { amount: formatCents(cents), currency: 'USD' } };
  if (r.estimated) g.estimated = true;
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

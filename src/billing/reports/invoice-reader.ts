import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../store/db.ts';
import { clusters, usageRecords } from '../../store/schema/index.ts';
import type { UsageRecord } from '../rating/rate-hour.ts';
import { buildInvoice, type Invoice, type InvoiceRow } from './invoice.ts';
import { periodOf, periodRange, type Period } from './periods.ts';
import { restOfPeriod } from './run-rate.ts';
import { clustersWithTail, tailRecords } from './tail.ts';
import { ratedThrough } from './usage.ts';

const regionalExpr = sql<number>`coalesce(json_extract(${usageRecords.attributes}, '$.regional'), 0)`;

/** A tenant's records of one period, summed per cluster, line item and price. */
export async function invoiceRows(db: Db, tenantId: string, period: Period): Promise<InvoiceRow[]> {
  const [start, end] = periodRange(period);
  const rows = await db
    .select({
      clusterId: usageRecords.clusterId,
      clusterName: sql<string>`coalesce(${clusters.name}, ${usageRecords.clusterId})`,
      provider: usageRecords.provider,
      tier: usageRecords.tier,
      lineItem: usageRecords.lineItem,
      kind: usageRecords.kind,
      unit: usageRecords.unit,
      unitPriceNano: usageRecords.unitPriceNano,
      quantityMicro: sql<number>`sum(${usageRecords.quantityMicro})`,
      amountMicro: sql<number>`sum(${usageRecords.amountMicro})`,
      regional: regionalExpr,
    })
    .from(usageRecords)
    .leftJoin(clusters, eq(clusters.id, usageRecords.clusterId))
    .where(and(eq(usageRecords.tenantId, tenantId), gte(usageRecords.hourStart, start), lt(usageRecords.hourStart, end)))
    .groupBy(
      usageRecords.clusterId,
      clusters.name,
      usageRecords.provider,
      usageRecords.tier,
      usageRecords.lineItem,
      usageRecords.kind,
      usageRecords.unit,
      usageRecords.unitPriceNano,
      regionalExpr,
    )
    .orderBy(usageRecords.clusterId, usageRecords.lineItem)
    .all();
  return rows.map((r) => ({ ...r, regional: Number(r.regional) === 1 }));
}

/** Tail records as invoice rows, summed the way `invoiceRows` sums usage records. */
export function tailInvoiceRows(tail: UsageRecord[], names: Map<string, string>): InvoiceRow[] {
  return tail.map((r) => ({
    clusterId: r.clusterId,
    clusterName: names.get(r.clusterId) ?? r.clusterId,
    provider: r.provider,
    tier: r.tier,
    lineItem: r.lineItem,
    kind: r.kind,
    unit: r.unit,
    unitPriceNano: r.unitPriceNano,
    quantityMicro: r.quantityMicro,
    amountMicro: r.amountMicro,
    regional: r.attributes.regional === true,
  }));
}

/** Rated rows plus estimated ones, merged per cluster, line item and price (rated order kept). */
export function mergeInvoiceRows(rated: InvoiceRow[], extra: InvoiceRow[]): InvoiceRow[] {
  const key = (r: InvoiceRow) => [r.clusterId, r.provider, r.tier, r.lineItem, r.kind, r.unit, r.unitPriceNano, r.regional].join('\u0000');
  const byKey = new Map(rated.map((r) => [key(r), { ...r }]));
  for (const r of extra) {
    const had = byKey.get(key(r));
    if (had) {
      had.quantityMicro += r.quantityMicro;
      had.amountMicro += r.amountMicro;
    } else byKey.set(key(r), { ...r });
  }
  return [...byKey.values()].sort((a, b) =>
    a.clusterId < b.clusterId ? -1 : a.clusterId > b.clusterId ? 1 : a.lineItem < b.lineItem ? -1 : a.lineItem > b.lineItem ? 1 : 0,
  );
}

/**
 * A tenant's invoice for a period: rated records, the not-yet-rated hours up to each cluster's now
 * (`estimated`), and for the open month a forecast at what runs now. `clusterIds` narrows it to some
 * clusters (a budget's scope).
 */
export async function readInvoice(db: Db, tenantId: string, period: Period, realNowMs: number, opts: { clusterIds?: string[] } = {}): Promise<Invoice> {
  const [start, end] = periodRange(period);
  let rated = await invoiceRows(db, tenantId, period);
  let list = await clustersWithTail(db, tenantId, realNowMs);
  if (opts.clusterIds) {
    const only = new Set(opts.clusterIds);
    rated = rated.filter((r) => only.has(r.clusterId));
    list = list.filter((c) => only.has(c.id));
  }
  const tail = await tailRecords(db, list, start, end);
  const rows = mergeInvoiceRows(rated, tailInvoiceRows(tail, new Map(list.map((c) => [c.id, c.name]))));
  const rest = realNowMs < end ? await restOfPeriod(db, list, end) : undefined;
  return buildInvoice({
    tenantId,
    period,
    rows,
    nowMs: realNowMs,
    rest,
    estimatedMicro: tail.reduce((a, r) => a + r.amountMicro, 0),
    ratedThrough: await ratedThrough(db, tenantId, tail, end),
  });
}

/**
 * Periods with any usage, newest first: every month with rated hours, every month holding hours not
 * rated yet (from a cluster's first running hour on, up to its now: a cluster whose clock has run
 * into a month the rating has not reached yet has an invoice there, priced with the estimate), and
 * the current one.
 */
export async function invoicePeriods(db: Db, tenantId: string, nowMs: number): Promise<Period[]> {
  const rows = await db
    .select({ period: sql<string>`strftime('%Y-%m', ${usageRecords.hourStart} / 1000, 'unixepoch')` })
    .from(usageRecords)
    .where(eq(usageRecords.tenantId, tenantId))
    .groupBy(sql`1`)
    .orderBy(desc(sql`1`))
    .all();
  const periods = new Set(rows.map((r) => r.period));
  const tail = await tailRecords(db, await clustersWithTail(db, tenantId, nowMs), 0, Number.MAX_SAFE_INTEGER);
  for (const r of tail) periods.add(periodOf(r.hourStart));
  periods.add(periodOf(nowMs));
  return [...periods].sort().reverse();
}

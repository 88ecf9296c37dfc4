import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../store/db.ts';
import { billingCursors, clusters, usageIntervals, usageRecords } from '../../store/schema/index.ts';
import { priceBookAt } from '../price-book.ts';
import { buildInvoice, type Invoice, type InvoiceRow, type RunRate } from './invoice.ts';
import { periodOf, periodRange, type Period } from './periods.ts';

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
    .groupBy(usageRecords.clusterId, clusters.name, usageRecords.provider, usageRecords.tier, usageRecords.lineItem, usageRecords.kind, usageRecords.unit, usageRecords.unitPriceNano, regionalExpr)
    .orderBy(usageRecords.clusterId, usageRecords.lineItem)
    .all();
  return rows.map((r) => ({ ...r, regional: Number(r.regional) === 1 }));
}

/** What the tenant's running clusters cost in their last rated hour. */
export async function runRate(db: Db, tenantId: string, nowMs: number): Promise<RunRate> {
  const running = db
    .select({ id: usageIntervals.clusterId })
    .from(usageIntervals)
    .where(and(eq(usageIntervals.tenantId, tenantId), eq(usageIntervals.kind, 'cluster'), isNull(usageIntervals.endedAt)));
  const rows = await db
    .select({ provider: usageRecords.provider, tier: usageRecords.tier, kind: usageRecords.kind, regional: regionalExpr, amountMicro: sql<number>`sum(${usageRecords.amountMicro})` })
    .from(usageRecords)
    .innerJoin(billingCursors, eq(billingCursors.clusterId, usageRecords.clusterId))
    .where(and(eq(usageRecords.tenantId, tenantId), sql`${usageRecords.hourStart} = ${billingCursors.ratedUntil} - 3600000`, sql`${usageRecords.clusterId} IN ${running}`))
    .groupBy(usageRecords.provider, usageRecords.tier, usageRecords.kind, regionalExpr)
    .all();
  const eligibleTiers = priceBookAt('gke', nowMs).freeTier?.tiers ?? [];
  let microPerHour = 0;
  let freeTierEligibleMicroPerHour = 0;
  for (const r of rows) {
    microPerHour += r.amountMicro;
    if (r.provider === 'gke' && r.kind === 'cluster' && eligibleTiers.includes(r.tier) && Number(r.regional) !== 1) freeTierEligibleMicroPerHour += r.amountMicro;
  }
  return { microPerHour, freeTierEligibleMicroPerHour };
}

export async function readInvoice(db: Db, tenantId: string, period: Period, nowMs: number): Promise<Invoice> {
  const rows = await invoiceRows(db, tenantId, period);
  const [, end] = periodRange(period);
  const rate = nowMs < end ? await runRate(db, tenantId, nowMs) : undefined;
  return buildInvoice({ tenantId, period, rows, nowMs, runRate: rate });
}

/** Periods with any usage, newest first, plus the current one. */
export async function invoicePeriods(db: Db, tenantId: string, nowMs: number): Promise<Period[]> {
  const rows = await db
    .select({ period: sql<string>`strftime('%Y-%m', ${usageRecords.hourStart} / 1000, 'unixepoch')` })
    .from(usageRecords)
    .where(eq(usageRecords.tenantId, tenantId))
    .groupBy(sql`1`)
    .orderBy(desc(sql`1`))
    .all();
  const periods = new Set(rows.map((r) => r.period));
  periods.add(periodOf(nowMs));
  return [...periods].sort().reverse();
}

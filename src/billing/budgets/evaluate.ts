import { eq, gte, and, sql, isNotNull, inArray } from 'drizzle-orm';
import { newId } from '../../lib/ids.ts';
import { chunk } from '../../lib/chunk.ts';
import { MAX_LIST_VALUES, type Database, type Db, type WriteStatement } from '../../store/db.ts';
import { billingAlerts, budgets, tenants, usageRecords } from '../../store/schema/index.ts';
import type { InvoiceRow } from '../reports/invoice.ts';
import { invoiceRows } from '../reports/invoice-reader.ts';
import { periodOf, periodRange, type Period } from '../reports/periods.ts';
import { clustersWithTail, tailRecords } from '../reports/tail.ts';
import { ratedThrough } from '../reports/usage.ts';
import type { UsageRecord } from '../rating/rate-hour.ts';
import { newlyCrossed } from './thresholds.ts';
import { scopeClusterIds } from './scope.ts';
import { scopeSpend } from './spend.ts';

type BudgetRow = typeof budgets.$inferSelect;

/**
 * Compares every budget with what its scope owes in each period since the budget was created, counted
 * as its status and the invoice count it: the rated hours plus the estimate of the hours not rated yet,
 * up to each cluster's now, after credits (the tenant, one cluster or a label's clusters). It records
 * an alert the first time each threshold is reached in a period, saying how much of the spend was
 * estimated. In the creation month, thresholds the spend had already passed when the budget was made
 * are not alerted: a budget reports what happens after it. Alerts are unique per (budget, period,
 * threshold), so concurrent or repeated runs record each once, and a threshold first reached on an
 * estimate is not alerted again when the rating catches up.
 */
export async function evaluateBudgets(database: Database, nowMs: number, opts: { tenantId?: string } = {}): Promise<{ alerts: number }> {
  const { db } = database;
  const all = await db
    .select()
    .from(budgets)
    .where(opts.tenantId ? eq(budgets.tenantId, opts.tenantId) : undefined)
    .all();
  if (all.length === 0) return { alerts: 0 };
  const tenantIds = [...new Set(all.map((b) => b.tenantId))];
  const webhooks = new Map<string, string | null>();
  const existing: { budgetId: string; period: string; threshold: number }[] = [];
  for (const list of chunk(tenantIds, MAX_LIST_VALUES)) {
    for (const t of await db
      .select({ id: tenants.id, url: tenants.webhookUrl })
      .from(tenants)
      .where(and(inArray(tenants.id, list), isNotNull(tenants.webhookUrl)))
      .all())
      webhooks.set(t.id, t.url);
    existing.push(
      ...(await db
        .select({ budgetId: billingAlerts.budgetId, period: billingAlerts.period, threshold: billingAlerts.thresholdPercent })
        .from(billingAlerts)
        .where(inArray(billingAlerts.tenantId, list))
        .all()),
    );
  }
  const alerted = new Map<string, number[]>();
  for (const a of existing) alerted.set(`${a.budgetId}/${a.period}`, [...(alerted.get(`${a.budgetId}/${a.period}`) ?? []), a.threshold]);

  const statements: WriteStatement[] = [];
  for (const tenantId of tenantIds) {
    const mine = all.filter((b) => b.tenantId === tenantId);
    const spend = await tenantSpend(db, tenantId, mine, nowMs);
    for (const budget of mine) {
      const ids = await scopeClusterIds(db, tenantId, { clusterId: budget.scopeClusterId ?? undefined, label: budget.scopeLabel ?? undefined });
      for (const period of spend.periods.filter((p) => p >= periodOf(budget.createdAt))) {
        const { spentMicro, estimatedMicro, tail } = scopeSpend({
          tenantId,
          period,
          rated: await spend.rated(period),
          tail: spend.tail,
          names: spend.names,
          clusterIds: ids,
          nowMs,
        });
        const thresholds = (JSON.parse(budget.thresholds) as number[]).filter(
          (p) => period !== budget.baselinePeriod || BigInt(budget.baselineMicro) * 100n < BigInt(p) * BigInt(budget.amountMicro),
        );
        const crossed = newlyCrossed(thresholds, budget.amountMicro, spentMicro, alerted.get(`${budget.id}/${period}`) ?? []);
        if (crossed.length === 0) continue;
        const through = await ratedThrough(db, tenantId, tail, periodRange(period)[1]);
        for (const threshold of crossed) {
          statements.push({
            query: db
              .insert(billingAlerts)
              .values({
                id: newId('alt'),
                tenantId,
                budgetId: budget.id,
                period,
                thresholdPercent: threshold,
                spentMicro,
                estimatedMicro,
                ratedThrough: through === null ? null : Date.parse(through),
                budgetMicro: budget.amountMicro,
                createdAt: nowMs,
                webhookStatus: webhooks.has(tenantId) ? 'pending' : 'none',
              })
              .onConflictDoNothing(),
          });
        }
      }
    }
  }
  await database.atomicWrite(statements);
  return { alerts: statements.length };
}

/** One tenant's spend inputs, read once for all its budgets: the periods with rated or estimated
 * hours since the earliest budget's creation month, the estimate (tail) itself, and rated rows per period. */
async function tenantSpend(db: Db, tenantId: string, mine: BudgetRow[], nowMs: number) {
  const since = Math.min(...mine.map((b) => periodRange(periodOf(b.createdAt))[0]));
  const clusters = await clustersWithTail(db, tenantId, nowMs);
  const tail: UsageRecord[] = await tailRecords(db, clusters, since, Number.MAX_SAFE_INTEGER);
  const ratedPeriods = await db
    .selectDistinct({ period: sql<string>`strftime('%Y-%m', ${usageRecords.hourStart} / 1000, 'unixepoch')` })
    .from(usageRecords)
    .where(and(eq(usageRecords.tenantId, tenantId), gte(usageRecords.hourStart, since)))
    .all();
  const periods = [...new Set([...ratedPeriods.map((r) => r.period), ...tail.map((r) => periodOf(r.hourStart))])].sort();
  const rows = new Map<Period, InvoiceRow[]>();
  return {
    periods,
    tail,
    names: new Map(clusters.map((c) => [c.id, c.name])),
    rated: async (period: Period) => {
      let r = rows.get(period);
      if (!r) rows.set(period, (r = await invoiceRows(db, tenantId, period)));
      return r;
    },
  };
}

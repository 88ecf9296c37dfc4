import { eq, gte, and, sql, isNotNull, inArray } from 'drizzle-orm';
import { newId } from '../../lib/ids.ts';
import { chunk } from '../../lib/chunk.ts';
import { MAX_LIST_VALUES, type Database, type WriteStatement } from '../../store/db.ts';
import { billingAlerts, budgets, tenants, usageRecords } from '../../store/schema/index.ts';
import { buildInvoice } from '../reports/invoice.ts';
import { invoiceRows } from '../reports/invoice-reader.ts';
import { periodOf, periodRange } from '../reports/periods.ts';
import { newlyCrossed } from './thresholds.ts';
import { scopeClusterIds } from './scope.ts';

/**
 * Compares every budget with what its scope owes (rated invoice total after credits: the tenant, one
 * cluster or a label's clusters) in each period since the budget was created, and records an alert
 * the first time each threshold is reached in a period. In the creation month, thresholds the spend
 * had already passed when the budget was made are not alerted: a budget reports what happens after it.
 * Alerts are unique per (budget, period, threshold), so concurrent or repeated runs record each once.
 */
export async function evaluateBudgets(database: Database, nowMs: number, opts: { tenantId?: string } = {}): Promise<{ alerts: number }> {
  const { db } = database;
  const all = await db.select().from(budgets).where(opts.tenantId ? eq(budgets.tenantId, opts.tenantId) : undefined).all();
  if (all.length === 0) return { alerts: 0 };
  const tenantIds = [...new Set(all.map((b) => b.tenantId))];
  const webhooks = new Map<string, string | null>();
  const existing: { budgetId: string; period: string; threshold: number }[] = [];
  for (const list of chunk(tenantIds, MAX_LIST_VALUES)) {
    for (const t of await db.select({ id: tenants.id, url: tenants.webhookUrl }).from(tenants).where(and(inArray(tenants.id, list), isNotNull(tenants.webhookUrl))).all()) webhooks.set(t.id, t.url);
    existing.push(...(await db.select({ budgetId: billingAlerts.budgetId, period: billingAlerts.period, threshold: billingAlerts.thresholdPercent }).from(billingAlerts).where(inArray(billingAlerts.tenantId, list)).all()));
  }
  const alerted = new Map<string, number[]>();
  for (const a of existing) alerted.set(`${a.budgetId}/${a.period}`, [...(alerted.get(`${a.budgetId}/${a.period}`) ?? []), a.threshold]);

  const statements: WriteStatement[] = [];
  const spentCache = new Map<string, number>();
  for (const budget of all) {
    const [firstStart] = periodRange(periodOf(budget.createdAt));
    const periods = await db
      .selectDistinct({ period: sql<string>`strftime('%Y-%m', ${usageRecords.hourStart} / 1000, 'unixepoch')` })
      .from(usageRecords)
      .where(and(eq(usageRecords.tenantId, budget.tenantId), gte(usageRecords.hourStart, firstStart)))
      .all();
    for (const { period } of periods) {
      const ids = await scopeClusterIds(db, budget.tenantId, { clusterId: budget.scopeClusterId ?? undefined, label: budget.scopeLabel ?? undefined });
      const key = `${budget.tenantId}/${period}/${ids?.join(',') ?? '*'}`;
      let spent = spentCache.get(key);
      if (spent === undefined) {
        const only = ids ? new Set(ids) : undefined;
        const rows = (await invoiceRows(db, budget.tenantId, period)).filter((r) => !only || only.has(r.clusterId));
        spent = buildInvoice({ tenantId: budget.tenantId, period, rows, nowMs }).totalMicro;
        spentCache.set(key, spent);
      }
      const thresholds = (JSON.parse(budget.thresholds) as number[]).filter(
        (p) => period !== budget.baselinePeriod || BigInt(budget.baselineMicro) * 100n < BigInt(p) * BigInt(budget.amountMicro),
      );
      const crossed = newlyCrossed(thresholds, budget.amountMicro, spent, alerted.get(`${budget.id}/${period}`) ?? []);
      for (const threshold of crossed) {
        statements.push({
          query: db
            .insert(billingAlerts)
            .values({
              id: newId('alt'),
              tenantId: budget.tenantId,
              budgetId: budget.id,
              period,
              thresholdPercent: threshold,
              spentMicro: spent,
              budgetMicro: budget.amountMicro,
              createdAt: nowMs,
              webhookStatus: webhooks.has(budget.tenantId) ? 'pending' : 'none',
            })
            .onConflictDoNothing(),
        });
      }
    }
  }
  await database.atomicWrite(statements);
  return { alerts: statements.length };
}

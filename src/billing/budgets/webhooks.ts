import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { billingAlerts, budgets, tenants } from '../../store/schema/index.ts';
import { toAlert } from './budgets.ts';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number }>;

const MAX_ATTEMPTS = 3;
const undelivered = and(inArray(billingAlerts.webhookStatus, ['pending', 'failed']), lt(billingAlerts.webhookAttempts, MAX_ATTEMPTS));
const TIMEOUT_MS = 5_000;

/**
 * POSTs each undelivered alert to its tenant's webhook URL as JSON (`type: billing.budget.threshold`),
 * marking it delivered on a 2xx answer; failures are retried on later runs, three attempts in all.
 */
export async function deliverAlertWebhooks(database: Database, fetchFn: FetchLike): Promise<{ delivered: number; failed: number }> {
  const { db } = database;
  const rows = await db
    .select({ alert: billingAlerts, url: tenants.webhookUrl, budgetName: budgets.name })
    .from(billingAlerts)
    .innerJoin(tenants, eq(tenants.id, billingAlerts.tenantId))
    .leftJoin(budgets, eq(budgets.id, billingAlerts.budgetId))
    .where(undelivered)
    .limit(100)
    .all();
  let delivered = 0;
  let failed = 0;
  for (const { alert, url, budgetName } of rows) {
    let ok = false;
    if (url) {
      const body = JSON.stringify({ type: 'billing.budget.threshold', tenantId: alert.tenantId, alert: { ...toAlert(alert), budgetName } });
      try {
        const res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
        ok = res.ok;
      } catch {
        ok = false;
      }
    }
    if (ok) delivered += 1;
    else failed += 1;
    await database.atomicWrite([
      {
        query: db
          .update(billingAlerts)
          .set({ webhookStatus: ok ? 'delivered' : 'failed', webhookAttempts: alert.webhookAttempts + 1 })
          .where(and(eq(billingAlerts.id, alert.id), eq(billingAlerts.webhookAttempts, alert.webhookAttempts))),
      },
    ]);
  }
  return { delivered, failed };
}

import type { Database } from '../store/db.ts';
import { deliverAlertWebhooks, type FetchLike } from './budgets/webhooks.ts';
import { evaluateBudgets } from './budgets/evaluate.ts';
import { rateDueHours, type RatingSummary } from './rating/runner.ts';

export interface BillingCycleResult {
  rating: RatingSummary;
  alerts: number;
  webhooks: { delivered: number; failed: number };
}

/**
 * One run of the billing job: rate every cluster's due hours (each in its own clock), then check
 * budgets (rated and estimated spend) and send alert webhooks. Idempotent; run it often (every
 * minute suits clusters up to 60×, the cap per pass handles faster ones, and `rating.more` says to
 * run again at once).
 */
export async function runBillingCycle(deps: { database: Database; nowMs: number; fetch?: FetchLike }): Promise<BillingCycleResult> {
  const rating = await rateDueHours(deps.database, deps.nowMs);
  // Budgets count the estimate of the hours not rated yet too, which grows between ratings: check every run.
  const { alerts } = await evaluateBudgets(deps.database, deps.nowMs);
  const webhooks = await deliverAlertWebhooks(deps.database, deps.fetch ?? ((url, init) => fetch(url, init)));
  return { rating, alerts, webhooks };
}

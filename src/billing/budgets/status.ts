import type { Db } from '../../store/db.ts';
import type { Money } from '../money.ts';
import { readInvoice } from '../reports/invoice-reader.ts';
import { periodOf } from '../reports/periods.ts';
import { scopeClusterIds, type BudgetScope } from './scope.ts';

export interface BudgetStatus {
  period: string;
  spent: Money;
  forecast: Money;
  ratedThrough: string | null;
}

/**
 * A budget's month so far and its forecast, both from the scope's invoice: spent is the month to date
 * (rated hours plus the estimate of the unrated ones, after credits); the forecast adds what runs now
 * priced to the month end (`restOfPeriod`): forecast = spent + Σ open intervals × their price ×
 * (month end − the cluster's now), with the free-tier credit taken again over the whole month.
 */
export async function budgetStatus(db: Db, tenantId: string, scope: BudgetScope, realNowMs: number): Promise<BudgetStatus> {
  const period = periodOf(realNowMs);
  const clusterIds = await scopeClusterIds(db, tenantId, scope);
  const inv = await readInvoice(db, tenantId, period, realNowMs, { clusterIds });
  return { period, spent: inv.total, forecast: inv.forecast ?? inv.total, ratedThrough: inv.ratedThrough };
}

/** What alerts compare with, in micro-USD: the scope's invoice total of a period (rated and
 * estimated, after credits), the `spent` of its status. */
export async function scopedSpent(db: Db, tenantId: string, scope: BudgetScope, period: string, realNowMs: number): Promise<number> {
  const clusterIds = await scopeClusterIds(db, tenantId, scope);
  return (await readInvoice(db, tenantId, period, realNowMs, { clusterIds })).totalMicro;
}

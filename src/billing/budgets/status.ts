import type { Db } from '../../store/db.ts';
import type { Money } from '../money.ts';
import { buildInvoice } from '../reports/invoice.ts';
import { invoiceRows, readInvoice } from '../reports/invoice-reader.ts';
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

/** What alerts compare with: the scope's rated total of a period, after credits. */
export async function scopedRatedSpent(db: Db, tenantId: string, scope: BudgetScope, period: string, nowMs: number): Promise<number> {
  const ids = await scopeClusterIds(db, tenantId, scope);
  const only = ids ? new Set(ids) : undefined;
  const rows = (await invoiceRows(db, tenantId, period)).filter((r) => !only || only.has(r.clusterId));
  return buildInvoice({ tenantId, period, rows, nowMs }).totalMicro;
}


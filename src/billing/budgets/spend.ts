import type { UsageRecord } from '../rating/rate-hour.ts';
import { buildInvoice, type InvoiceRow } from '../reports/invoice.ts';
import { mergeInvoiceRows, tailInvoiceRows } from '../reports/invoice-reader.ts';
import { periodRange, type Period } from '../reports/periods.ts';

export interface ScopeSpend {
  /** The scope's invoice total for the period: rated and estimated, after credits. */
  spentMicro: number;
  /** The estimated part (hours not rated yet), before credits, as the invoice's `estimated`. */
  estimatedMicro: number;
  /** The estimated records counted. */
  tail: UsageRecord[];
}

/**
 * What a budget's scope owes for a period, counted as its invoice counts it (`readInvoice`): the
 * rated rows plus the not-yet-rated tail records whose hour lies in the period, for the scope's
 * clusters only (undefined: every cluster).
 */
export function scopeSpend(input: {
  tenantId: string;
  period: Period;
  rated: InvoiceRow[];
  tail: UsageRecord[];
  names: Map<string, string>;
  clusterIds?: string[];
  nowMs: number;
}): ScopeSpend {
  const [start, end] = periodRange(input.period);
  const only = input.clusterIds ? new Set(input.clusterIds) : undefined;
  const rated = input.rated.filter((r) => !only || only.has(r.clusterId));
  const tail = input.tail.filter((r) => r.hourStart >= start && r.hourStart < end && (!only || only.has(r.clusterId)));
  const rows = mergeInvoiceRows(rated, tailInvoiceRows(tail, input.names));
  const spentMicro = buildInvoice({ tenantId: input.tenantId, period: input.period, rows, nowMs: input.nowMs }).totalMicro;
  return { spentMicro, estimatedMicro: tail.reduce((a, r) => a + r.amountMicro, 0), tail };
}

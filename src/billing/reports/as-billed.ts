import type { Provider } from '../catalog.ts';
import { money } from '../money.ts';
import { freeTierEligible, priceBookAt } from '../price-book.ts';
import type { UsageRecord } from '../rating/rate-hour.ts';
import { toLineItems } from './line-items.ts';
import type { PricedResult } from './price-under.ts';
import { periodOf } from './periods.ts';

/**
 * A cluster's own bill over a window as a priced result: its rated records plus the estimate of the
 * hours not rated yet, summed the way the invoice sums them, with the free-tier credit taken per
 * calendar month as if it were the account's only eligible cluster. This is the comparison's result
 * for the provider and tier the cluster runs on, so it equals usage and invoice to the cent.
 */
export function asBilledResult(records: UsageRecord[], actual: { provider: Provider; tier: string; region: string }): PricedResult {
  const feesByMonth = new Map<string, number>();
  for (const r of records) {
    if (r.kind !== 'cluster') continue;
    const book = priceBookAt(r.provider, r.hourStart);
    if (!freeTierEligible(book, r.tier, r.attributes.regional === true)) continue;
    const month = periodOf(r.hourStart);
    feesByMonth.set(month, (feesByMonth.get(month) ?? 0) + r.amountMicro);
  }
  let creditMicro = 0;
  for (const [month, fee] of feesByMonth)
    creditMicro += Math.min(fee, priceBookAt(actual.provider, Date.parse(`${month}-01T00:00:00Z`)).freeTier?.monthlyMicro ?? 0);
  const charges = records.map((r) => ({
    lineItem: r.lineItem,
    unit: r.unit,
    unitPriceNano: r.unitPriceNano,
    quantityMicro: r.quantityMicro,
    amountMicro: r.amountMicro,
  }));
  if (creditMicro > 0)
    charges.push({ lineItem: 'credit:free-tier', unit: 'credit', unitPriceNano: -creditMicro * 1000, quantityMicro: 1_000_000, amountMicro: -creditMicro });
  const { lineItems, totalMicro, total } = toLineItems(actual.provider, charges);
  const types = new Set(records.filter((r) => r.kind === 'node').map((r) => String(r.attributes.instanceType ?? r.lineItem.slice('node:'.length))));
  const notes = ['As billed: the rated hours and an estimate of those not rated yet, the same amounts as usage and the invoice.'];
  if (creditMicro > 0)
    notes.push("The GKE free tier credit ($74.40 a month per billing account) is applied as if this were the account's only zonal or Autopilot cluster.");
  return {
    provider: actual.provider,
    tier: actual.tier,
    region: actual.region,
    lineItems,
    subtotal: money(totalMicro + creditMicro),
    credits: money(-creditMicro),
    total,
    totalMicro,
    nodeTypes: [...types].sort().map((t) => ({ recorded: t, priced: t })),
    notes,
  };
}

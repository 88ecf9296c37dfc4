import { money, type Money } from '../money.ts';
import { freeTierEligible, priceBookAt } from '../price-book.ts';
import { toLineItemsWithSources, type ChargeSum, type LineItem } from './line-items.ts';
import { periodRange, type Period } from './periods.ts';

/** A month's usage records of one tenant summed per cluster, line item and price. */
export interface InvoiceRow {
  clusterId: string;
  clusterName: string;
  provider: string;
  tier: string;
  lineItem: string;
  kind: string;
  unit: string;
  unitPriceNano: number;
  quantityMicro: number;
  amountMicro: number;
  /** Regional GKE clusters are not covered by the free tier. */
  regional: boolean;
}

/** What the rest of the period costs if what runs now keeps running (`restOfPeriod`), for the forecast. */
export interface ForecastRest {
  micro: number;
  /** The part that is free-tier-eligible GKE cluster fee. */
  freeTierEligibleMicro: number;
}

export interface InvoiceLine extends LineItem {
  clusterId?: string;
  provider?: string;
}

export interface Invoice {
  tenantId: string;
  period: Period;
  /** `open` while the month is not over (month to date), `closed` after. */
  status: 'open' | 'closed';
  from: string;
  to: string;
  lineItems: InvoiceLine[];
  clusters: Array<{ clusterId: string; name: string; provider: string; subtotal: Money; subtotalMicro: number }>;
  subtotal: Money;
  credits: Money;
  total: Money;
  totalMicro: number;
  /** Cluster-clock instant before which every amount is rated (final); null when nothing is. */
  ratedThrough: string | null;
  /** The part of the subtotal not rated yet (hours after a cluster's cursor, up to its now). */
  estimated: Money;
  /** For an open period: the total if everything running now keeps running until the month ends. */
  forecast?: Money;
  forecastMicro?: number;
}

/** GKE's free tier: up to $74.40 of zonal/Autopilot cluster fees per billing account and month. */
function freeTierCredit(rows: InvoiceRow[], periodStart: number, extraEligibleMicro = 0): number {
  const free = priceBookAt('gke', periodStart).freeTier;
  if (!free) return 0;
  const book = priceBookAt('gke', periodStart);
  const eligible = rows
    .filter((r) => r.provider === 'gke' && r.kind === 'cluster' && freeTierEligible(book, r.tier, r.regional))
    .reduce((a, r) => a + r.amountMicro, 0);
  return Math.min(free.monthlyMicro, eligible + extraEligibleMicro);
}

export function buildInvoice(input: {
  tenantId: string;
  period: Period;
  rows: InvoiceRow[];
  nowMs: number;
  rest?: ForecastRest;
  estimatedMicro?: number;
  ratedThrough?: string | null;
}): Invoice {
  const [start, end] = periodRange(input.period);
  const status = input.nowMs >= end ? 'closed' : 'open';
  const creditMicro = freeTierCredit(input.rows, start);
  const charges: ChargeSum[] = input.rows.map((r) => ({ ...r, context: r.clusterName, ref: r.clusterId }));
  if (creditMicro > 0) {
    charges.push({
      lineItem: 'credit:free-tier',
      unit: 'credit',
      unitPriceNano: -creditMicro * 1000,
      quantityMicro: 1_000_000,
      amountMicro: -creditMicro,
      provider: 'gke',
    });
  }
  const { lines, lineItems, totalMicro, total } = toLineItemsWithSources('', charges);
  const clusterOf = new Map(input.rows.map((r) => [r.clusterId, r]));
  const invoiceLines: InvoiceLine[] = lineItems.map((l, i) => {
    const source = lines[i].ref ? clusterOf.get(lines[i].ref!) : undefined;
    return source ? { ...l, clusterId: source.clusterId, provider: source.provider } : { ...l, provider: lines[i].provider };
  });

  const perCluster = new Map<string, { clusterId: string; name: string; provider: string; micro: number }>();
  for (const r of input.rows) {
    const c = perCluster.get(r.clusterId) ?? { clusterId: r.clusterId, name: r.clusterName, provider: r.provider, micro: 0 };
    c.micro += r.amountMicro;
    perCluster.set(r.clusterId, c);
  }

  const invoice: Invoice = {
    tenantId: input.tenantId,
    period: input.period,
    status,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    lineItems: invoiceLines,
    clusters: [...perCluster.values()].map((c) => ({
      clusterId: c.clusterId,
      name: c.name,
      provider: c.provider,
      subtotal: money(c.micro),
      subtotalMicro: c.micro,
    })),
    subtotal: money(totalMicro + creditMicro),
    credits: money(-creditMicro),
    total,
    totalMicro,
    ratedThrough: input.ratedThrough ?? null,
    estimated: money(input.estimatedMicro ?? 0),
  };
  if (status === 'open' && input.rest && input.nowMs >= start) {
    // Month to date (rated and estimated) plus the rest of the month at what runs now; the credit
    // is taken again over the whole month's eligible fees.
    const subtotal = totalMicro + creditMicro + input.rest.micro;
    const credit = freeTierCredit(input.rows, start, input.rest.freeTierEligibleMicro);
    invoice.forecastMicro = subtotal - credit;
    invoice.forecast = money(invoice.forecastMicro);
  }
  return invoice;
}

/** The invoice as CSV: one row per line item, then credits and total rows. */
export function invoiceCsv(invoice: Invoice): string {
  const header = ['period', 'cluster_id', 'provider', 'item', 'description', 'quantity', 'unit', 'unit_price', 'amount', 'currency'];
  const rows = invoice.lineItems.map((l) => [
    invoice.period,
    l.clusterId ?? '',
    l.provider ?? '',
    l.item,
    l.description,
    l.quantity,
    l.unit,
    l.unitPrice.amount,
    l.amount.amount,
    'USD',
  ]);
  rows.push([invoice.period, '', '', 'subtotal', 'Subtotal', '', '', '', invoice.subtotal.amount, 'USD']);
  rows.push([invoice.period, '', '', 'credits', 'Credits', '', '', '', invoice.credits.amount, 'USD']);
  rows.push([invoice.period, '', '', 'total', 'Total', '', '', '', invoice.total.amount, 'USD']);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

import { PROVIDERS, tiersOf, type Provider } from '../catalog.ts';
import type { UsageInterval } from '../intervals.ts';
import { money, type Money } from '../money.ts';
import { freeTierEligible, priceBookAt, priceBookBoundaries } from '../price-book.ts';
import { rateWindow, type RatedLine } from '../rating/rate-window.ts';
import { toLineItems, type LineItem } from './line-items.ts';
import { comparableRegion, nodeTypeMapper } from './same-shape.ts';

const HOUR_MS = 3_600_000;

/** A cost under one provider and tier: the shape every priced answer of the billing API has. */
export interface PricedResult {
  provider: Provider;
  tier: string;
  region: string;
  lineItems: LineItem[];
  subtotal: Money;
  credits: Money;
  total: Money;
  totalMicro: number;
  /** Which instance type each recorded type was priced as. */
  nodeTypes: Array<{ recorded: string; priced: string }>;
  notes: string[];
}

export interface PriceUnderOptions {
  /** How the GKE free-tier credit applies: per calendar month (recorded usage) or prorated over
   * 730-hour months (an estimate of a duration). */
  freeTier: 'calendar-months' | 'prorated';
}

/** Prices recorded (or planned) intervals of one cluster as if it ran at `target`, in the nearest
 * region, with each node as the same-shape type and the target's minimums and tier rules. */
export function priceUnder(
  intervals: UsageInterval[],
  source: { provider: Provider; region: string },
  target: { provider: Provider; tier: string },
  fromMs: number,
  toMs: number,
  opts: PriceUnderOptions,
): PricedResult {
  const region = comparableRegion(target.provider, source);
  const mapper = nodeTypeMapper(target.provider);
  const lines: RatedLine[] = [];
  let creditMicro = 0;
  const notes: string[] = [];
  const regional = intervals.some((i) => i.kind === 'cluster' && (i.attributes as { regional?: boolean }).regional === true);

  for (const [from, to] of splitWindow(target.provider, fromMs, toMs, opts.freeTier === 'calendar-months')) {
    const book = priceBookAt(target.provider, from);
    const rated = rateWindow(intervals, { book, region, fixedTier: target.tier, nodeType: mapper.map }, from, to);
    lines.push(...rated);
    const free = book.freeTier;
    if (free && freeTierEligible(book, target.tier, regional)) {
      const fee = rated.filter((l) => l.kind === 'cluster').reduce((a, l) => a + l.amountMicro, 0);
      const cap = opts.freeTier === 'prorated' ? Math.round((free.monthlyMicro * (to - from)) / (730 * HOUR_MS)) : free.monthlyMicro;
      creditMicro += Math.min(fee, cap);
    }
  }
  if (creditMicro > 0)
    notes.push("The GKE free tier credit ($74.40 a month per billing account) is applied as if this were the account's only zonal or Autopilot cluster.");
  if (target.tier === 'autopilot' && !intervals.some((i) => i.kind === 'pod'))
    notes.push('No pod requests were recorded, so Autopilot charges only the cluster fee.');
  if (lines.some((l) => l.attributes.unpriced)) notes.push('Some instance types are not in the catalog and are priced at $0.');

  const charges = lines.map((l) => ({
    lineItem: l.lineItem,
    unit: l.unit,
    unitPriceNano: l.unitPriceNano,
    quantityMicro: l.quantityMicro,
    amountMicro: l.amountMicro,
  }));
  if (creditMicro > 0)
    charges.push({ lineItem: 'credit:free-tier', unit: 'credit', unitPriceNano: -creditMicro * 1000, quantityMicro: 1_000_000, amountMicro: -creditMicro });
  const { lineItems, totalMicro, total } = toLineItems(target.provider, charges);
  return {
    provider: target.provider,
    tier: target.tier,
    region,
    lineItems,
    subtotal: money(totalMicro + creditMicro),
    credits: money(-creditMicro),
    total,
    totalMicro,
    nodeTypes: [...mapper.used].map(([recorded, priced]) => ({ recorded, priced })),
    notes,
  };
}

/** The same usage under every provider and every tier (EKS 2, GKE 2, AKS 3). */
export function priceUnderEveryOption(
  intervals: UsageInterval[],
  source: { provider: Provider; region: string },
  fromMs: number,
  toMs: number,
  opts: PriceUnderOptions,
): PricedResult[] {
  return PROVIDERS.flatMap((provider) => tiersOf(provider).map((tier) => priceUnder(intervals, source, { provider, tier }, fromMs, toMs, opts)));
}

/** Splits a window where the target's price book changes and, for recorded usage, at calendar
 * months (the free-tier credit is monthly). */
function splitWindow(provider: Provider, fromMs: number, toMs: number, byMonth: boolean): Array<[number, number]> {
  const cuts = new Set(priceBookBoundaries(provider, fromMs, toMs));
  if (byMonth) {
    const d = new Date(fromMs);
    for (let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); m < toMs;) {
      cuts.add(m);
      const next = new Date(m);
      m = Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1);
    }
  }
  const points = [fromMs, ...[...cuts].sort((a, b) => a - b), toMs];
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < points.length; i++) if (points[i + 1] > points[i]) out.push([points[i], points[i + 1]]);
  return out;
}

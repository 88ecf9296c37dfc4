import { mulDivRound } from '../money.ts';
import { billsPods, controlPlaneRate, nodePrice, volumeTypeOf, HOURS_PER_BILLING_MONTH, type NanoUsd, type PriceBook } from '../price-book.ts';
import type { IntervalAttributes, UsageInterval } from '../intervals.ts';
import { autopilotBillableRequests } from './autopilot.ts';
import { standardSupportEndsAt } from '../support-calendar.ts';

const HOUR_MS = 3_600_000;
const MONTH_MS = HOURS_PER_BILLING_MONTH * HOUR_MS;
const GiB = 2 ** 30;

/** How to price: which book and region, and for "what if" views a fixed tier and a node mapping. */
export interface PricingContext {
  book: PriceBook;
  region: string;
  /** Price every interval under this tier instead of the tier the cluster interval recorded. */
  fixedTier?: string;
  /** Maps a recorded instance type to the type to price (same shape at another provider). */
  nodeType?: (recordedType: string) => string;
}

/** One charge of a window: the unit of a usage record before tenant and cluster are stamped on. */
export interface RatedLine {
  lineItem: string;
  subject: string;
  kind: string;
  unit: string;
  quantityMicro: number;
  unitPriceNano: NanoUsd;
  amountMicro: number;
  billedMs: number;
  attributes: Record<string, unknown>;
}

interface Charge {
  lineItem: string;
  kind: string;
  unit: string;
  rate: NanoUsd;
  /** Units charged, as a fraction: GiB from bytes, vCPU from millicores. */
  unitsNum: number;
  unitsDen: number;
  periodMs: number;
  attributes: Record<string, unknown>;
}

/**
 * Prices every interval's share of [fromMs, toMs): usage aligned to the book's billing increment,
 * prorated from the hourly or monthly list price, each line rounded once to a micro-USD. A VM shorter
 * than the provider's minimum is topped up in the window where it stopped, so rating hour by hour or
 * a whole month at once gives the same minimum. Same (lineItem, subject) lines are merged.
 */
export function rateWindow(intervals: UsageInterval[], ctx: PricingContext, fromMs: number, toMs: number): RatedLine[] {
  const grid = ctx.book.granularityMs;
  const tier = ctx.fixedTier ?? windowTier(intervals, fromMs, toMs);
  const podsBilled = tier !== undefined && billsPods(ctx.book, tier);
  const lines = new Map<string, RatedLine>();

  for (const interval of intervals) {
    const start = Math.floor(interval.startedAt / grid) * grid;
    const end = interval.endedAt === null ? null : Math.ceil(interval.endedAt / grid) * grid;
    const overlap = Math.max(0, Math.min(end ?? toMs, toMs) - Math.max(start, fromMs));
    let billed = overlap;
    if (interval.kind === 'node' && end !== null && end > fromMs && end <= toMs && end - start < ctx.book.nodeMinimumMs) {
      billed += ctx.book.nodeMinimumMs - (end - start);
    }
    if (billed <= 0) continue;
    const extended =
      interval.kind === 'cluster'
        ? extendedSupportShare(interval as UsageInterval<'cluster'>, ctx, Math.max(start, fromMs), Math.min(end ?? toMs, toMs))
        : undefined;
    if (extended) {
      // EKS's rate replaces the tier's fee past the boundary; GKE's Extended channel adds to it.
      const tierMs = extended.surcharge ? billed : extended.standardMs;
      if (tierMs > 0) for (const charge of chargesOf(interval, ctx, tier, podsBilled)) addLine(lines, interval.subject, charge, tierMs);
      addLine(lines, interval.subject, extended.charge, extended.extendedMs);
      continue;
    }
    for (const charge of chargesOf(interval, ctx, tier, podsBilled)) addLine(lines, interval.subject, charge, billed);
  }
  return [...lines.values()];
}

/**
 * The part of a control-plane interval's billed span [fromMs, toMs) past its version's standard
 * support, for a cluster enrolled in extended support where the book bills it: EKS's rate replaces
 * the tier's from the first second past the boundary, GKE's Extended channel adds a surcharge. AKS
 * LTS is priced by its Premium tier alone.
 */
function extendedSupportShare(
  interval: UsageInterval<'cluster'>,
  ctx: PricingContext,
  fromMs: number,
  toMs: number,
): { standardMs: number; extendedMs: number; surcharge: boolean; charge: Charge } | undefined {
  const { book } = ctx;
  const rate = book.extendedSupportHour ?? book.extendedSupportSurchargeHour;
  const version = interval.attributes.kubernetesVersion;
  const enrolled = (interval.attributes.versionSupport ?? (interval.attributes.provider === 'eks' ? 'extended' : 'standard')) === 'extended';
  if (rate === undefined || !version || !enrolled) return undefined;
  const surcharge = book.extendedSupportHour === undefined;
  // A tier that already costs as much (EKS's own `extended` tier in a what-if) is left as it is.
  if (!surcharge && controlPlaneRate(book, ctx.fixedTier ?? interval.attributes.tier) >= rate) return undefined;
  const boundary = standardSupportEndsAt(book.provider, version);
  if (boundary === undefined || boundary >= toMs) return undefined;
  const split = Math.max(fromMs, boundary);
  const charge = hourly('control-plane:extended-support', 'cluster', 'cluster-hour', rate, {
    tier: interval.attributes.tier,
    kubernetesVersion: version,
    extendedSupportSince: new Date(boundary).toISOString(),
  });
  return { standardMs: split - fromMs, extendedMs: toMs - split, surcharge, charge };
}

/** The tier of the latest cluster interval touching the window (a tier change reopens the interval). */
export function windowTier(intervals: UsageInterval[], fromMs: number, toMs: number): string | undefined {
  let latest: UsageInterval<'cluster'> | undefined;
  for (const i of intervals) {
    if (i.kind !== 'cluster' || i.startedAt >= toMs || (i.endedAt !== null && i.endedAt < fromMs)) continue;
    if (!latest || i.startedAt >= latest.startedAt) latest = i as UsageInterval<'cluster'>;
  }
  return latest?.attributes.tier;
}

function chargesOf(interval: UsageInterval, ctx: PricingContext, windowTier: string | undefined, podsBilled: boolean): Charge[] {
  const { book } = ctx;
  switch (interval.kind) {
    case 'cluster': {
      const a = interval.attributes as IntervalAttributes['cluster'];
      const tier = ctx.fixedTier ?? a.tier ?? windowTier ?? '';
      const charge = hourly(`control-plane:${tier}`, 'cluster', 'cluster-hour', controlPlaneRate(book, tier), { tier, regional: a.regional === true });
      return [charge];
    }
    case 'node': {
      if (podsBilled) return [];
      const a = interval.attributes as IntervalAttributes['node'];
      const type = ctx.nodeType ? ctx.nodeType(a.instanceType) : a.instanceType;
      const price = nodePrice(book, type, ctx.region);
      const attributes: Record<string, unknown> = {
        instanceType: type,
        pool: a.pool,
        zone: a.zone,
        ...(a.surge ? { surge: true } : {}),
        ...(a.spot ? { spot: true } : {}),
      };
      // Surge nodes of an upgrade are their own line, so an invoice shows what the upgrade cost.
      const item = `${a.surge ? 'surge-node' : 'node'}:${type}`;
      if (type !== a.instanceType) attributes.recordedType = a.instanceType;
      if (!price) return [hourly(item, 'node', 'instance-hour', 0, { ...attributes, unpriced: true })];
      Object.assign(attributes, { vcpu: price.type.vcpu, memoryGiB: price.type.memoryGiB });
      if (price.region !== ctx.region) attributes.priceRegion = price.region;
      return [hourly(item, 'node', 'instance-hour', price.hourly, attributes)];
    }
    case 'volume': {
      const a = interval.attributes as IntervalAttributes['volume'];
      const type = volumeTypeOf(book, a);
      const attributes = { storageClass: a.storageClass, sizeBytes: a.sizeBytes, claimNamespace: a.claimNamespace, claimName: a.claimName };
      return [
        {
          lineItem: `storage:${type}`,
          kind: 'volume',
          unit: 'GiB-month',
          rate: book.storageGiBMonth[type] ?? 0,
          unitsNum: a.sizeBytes,
          unitsDen: GiB,
          periodMs: MONTH_MS,
          attributes,
        },
      ];
    }
    case 'loadbalancer': {
      const a = interval.attributes as IntervalAttributes['loadbalancer'];
      return [
        hourly('load-balancer', 'loadbalancer', 'LB-hour', book.loadBalancerHour, {
          namespace: a.namespace,
          name: a.name,
          ...(a.kind ? { kind: a.kind } : {}),
        }),
      ];
    }
    case 'pod': {
      if (!podsBilled || !book.autopilot) return [];
      const a = interval.attributes as IntervalAttributes['pod'];
      const r = autopilotBillableRequests(a);
      const attributes = { namespace: a.namespace, name: a.name, workload: a.workload, labels: a.labels, node: a.node };
      const rates = book.autopilot;
      return [
        {
          lineItem: 'autopilot:cpu',
          kind: 'pod-cpu',
          unit: 'vCPU-hour',
          rate: rates.vcpuHour,
          unitsNum: r.cpuMilli,
          unitsDen: 1000,
          periodMs: HOUR_MS,
          attributes: { ...attributes, cpuMilli: r.cpuMilli },
        },
        {
          lineItem: 'autopilot:memory',
          kind: 'pod-memory',
          unit: 'GiB-hour',
          rate: rates.memoryGiBHour,
          unitsNum: r.memoryBytes,
          unitsDen: GiB,
          periodMs: HOUR_MS,
          attributes: { ...attributes, memoryBytes: r.memoryBytes },
        },
        {
          lineItem: 'autopilot:ephemeral-storage',
          kind: 'pod-ephemeral',
          unit: 'GiB-hour',
          rate: rates.ephemeralGiBHour,
          unitsNum: r.ephemeralBytes,
          unitsDen: GiB,
          periodMs: HOUR_MS,
          attributes: { ...attributes, ephemeralBytes: r.ephemeralBytes },
        },
      ];
    }
    default:
      return [];
  }
}

function hourly(lineItem: string, kind: string, unit: string, rate: NanoUsd, attributes: Record<string, unknown>): Charge {
  return { lineItem, kind, unit, rate, unitsNum: 1, unitsDen: 1, periodMs: HOUR_MS, attributes };
}

function addLine(lines: Map<string, RatedLine>, subject: string, c: Charge, billedMs: number): void {
  // amount µ$ = rate n$ × units × billed / period / 1000; quantity × 1e6 = units × billed / period × 1e6
  const amountMicro = mulDivRound([c.rate, c.unitsNum, billedMs], BigInt(c.unitsDen) * BigInt(c.periodMs) * 1000n);
  const quantityMicro = mulDivRound([c.unitsNum, billedMs, 1_000_000], BigInt(c.unitsDen) * BigInt(c.periodMs));
  const key = `${c.lineItem}\u0000${subject}`;
  const existing = lines.get(key);
  if (existing) {
    existing.amountMicro += amountMicro;
    existing.quantityMicro += quantityMicro;
    existing.billedMs += billedMs;
    existing.attributes = c.attributes;
    return;
  }
  lines.set(key, {
    lineItem: c.lineItem,
    subject,
    kind: c.kind,
    unit: c.unit,
    quantityMicro,
    unitPriceNano: c.rate,
    amountMicro,
    billedMs,
    attributes: c.attributes,
  });
}

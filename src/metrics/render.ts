import type { ContainerSample } from './sampler.ts';
import { SAMPLE_INTERVAL_MS } from './retention.ts';

/**
 * Usage is stored as change points (a row when a value changes) and the 15 s scrapes metrics-server
 * would have taken are rendered from them here: a scrape at each multiple of SAMPLE_INTERVAL_MS of
 * cluster time. Pure.
 */

/** One stored change point: from `at` on the object uses this much, until its next point. */
export interface ChangePoint {
  kind: 'node' | 'pod' | 'cluster';
  namespace: string;
  name: string;
  at: number;
  /** The object stopped being scraped at `at`; its series has no value until a later point. */
  gone: boolean;
  cpuMilli: number;
  memoryBytes: number;
  containers?: ContainerSample[];
}

/** A rendered scrape of one object. */
export interface RenderedSample {
  kind: ChangePoint['kind'];
  namespace: string;
  name: string;
  /** Cluster-clock ms at the end of the window (a multiple of SAMPLE_INTERVAL_MS). */
  at: number;
  windowMs: number;
  cpuMilli: number;
  memoryBytes: number;
  containers?: ContainerSample[];
}

export const seriesKey = (p: { kind: string; namespace: string; name: string }) => `${p.kind}/${p.namespace}/${p.name}`;

/** The newest scrape instant at or before `ms`. */
export function scrapeAtOrBefore(ms: number): number {
  return Math.floor(ms / SAMPLE_INTERVAL_MS) * SAMPLE_INTERVAL_MS;
}

/** How many scrape instants fall in [fromMs, toMs). */
export function scrapesIn(fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  return Math.ceil(toMs / SAMPLE_INTERVAL_MS) - Math.ceil(fromMs / SAMPLE_INTERVAL_MS);
}

/** Change points grouped per series, each oldest first. */
export function bySeries(points: ChangePoint[]): Map<string, ChangePoint[]> {
  const out = new Map<string, ChangePoint[]>();
  for (const p of [...points].sort((a, b) => a.at - b.at)) {
    const key = seriesKey(p);
    const list = out.get(key);
    if (list) list.push(p);
    else out.set(key, [p]);
  }
  return out;
}

/**
 * The scrape of one series at instant `at`: the usage in effect then, reported over the 15 s window
 * ending there, as the scrape taken at that instant reported it when every scrape was stored.
 * Undefined when the object was not scraped then.
 */
export function renderAt(series: ChangePoint[], at: number): RenderedSample | undefined {
  let current: ChangePoint | undefined;
  for (const p of series) {
    if (p.at > at) break;
    current = p;
  }
  if (!current || current.gone) return undefined;
  return {
    kind: current.kind,
    namespace: current.namespace,
    name: current.name,
    at,
    windowMs: SAMPLE_INTERVAL_MS,
    cpuMilli: current.cpuMilli,
    memoryBytes: current.memoryBytes,
    ...(current.containers ? { containers: current.containers } : {}),
  };
}

/** The scrapes of one series at every instant in [fromMs, toMs], oldest first. */
export function renderRange(series: ChangePoint[], fromMs: number, toMs: number): RenderedSample[] {
  const out: RenderedSample[] = [];
  const first = series.find((p) => !p.gone)?.at ?? Number.POSITIVE_INFINITY;
  for (let at = Math.ceil(Math.max(fromMs, first) / SAMPLE_INTERVAL_MS) * SAMPLE_INTERVAL_MS; at <= toMs; at += SAMPLE_INTERVAL_MS) {
    const s = renderAt(series, at);
    if (s) out.push(s);
  }
  return out;
}

/** What one scrape-counted interval adds to a rollup bucket. */
export interface BucketShare {
  bucketStart: number;
  samples: number;
  cpuMilliSum: number;
  cpuMilliMax: number;
  memoryBytesSum: number;
  memoryBytesMax: number;
}

/**
 * The rollup contribution of a value held over [fromMs, toMs): one sample per scrape instant in it,
 * per bucket of `bucketMs`, leaving out buckets that start before `oldestBucket`.
 */
export function bucketShares(p: ChangePoint, fromMs: number, toMs: number, bucketMs: number, oldestBucket = Number.NEGATIVE_INFINITY): BucketShare[] {
  if (p.gone) return [];
  const out: BucketShare[] = [];
  const start = Math.max(Math.floor(fromMs / bucketMs) * bucketMs, Math.floor(oldestBucket / bucketMs) * bucketMs);
  for (let b = start; b < toMs; b += bucketMs) {
    const n = scrapesIn(Math.max(fromMs, b), Math.min(toMs, b + bucketMs));
    if (n > 0)
      out.push({
        bucketStart: b,
        samples: n,
        cpuMilliSum: n * p.cpuMilli,
        cpuMilliMax: p.cpuMilli,
        memoryBytesSum: n * p.memoryBytes,
        memoryBytesMax: p.memoryBytes,
      });
  }
  return out;
}

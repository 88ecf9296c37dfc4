/**
 * Exponentially bucketed, decaying histograms as the VPA recommender keeps them (k8s-behavior
 * §14.1): bucket n ≥ 1 starts at first × (ratio^n − 1)/(ratio − 1); every sample's weight is
 * multiplied by 2^((t − reference)/halfLife), so newer samples count more.
 */
export interface HistogramOptions {
  firstBucketSize: number;
  ratio: number;
  maxValue: number;
  /** Buckets lighter than this count as empty. */
  epsilon: number;
}

export const EPSILON = 0.0001;
/** CPU in cores: 0.01-core first bucket, 5 % growth, up to 1000 cores. */
export const CPU_HISTOGRAM: HistogramOptions = { firstBucketSize: 0.01, ratio: 1.05, maxValue: 1000, epsilon: EPSILON };
/** Memory in bytes: 10 MB first bucket, 5 % growth, up to 1 TB. */
export const MEMORY_HISTOGRAM: HistogramOptions = { firstBucketSize: 1e7, ratio: 1.05, maxValue: 1e12, epsilon: EPSILON };
/** Both histograms halve the weight of a sample every 24 h. */
export const HALF_LIFE_MS = 24 * 3_600_000;
/** Past 2^100 the weights are renormalized by moving the reference time forward. */
const MAX_DECAY_EXPONENT = 100;

export function numBuckets(o: HistogramOptions): number {
  return Math.ceil(Math.log((o.maxValue * (o.ratio - 1)) / o.firstBucketSize + 1) / Math.log(o.ratio)) + 1;
}

export function bucketStart(o: HistogramOptions, bucket: number): number {
  return bucket === 0 ? 0 : (o.firstBucketSize * (o.ratio ** bucket - 1)) / (o.ratio - 1);
}

export function findBucket(o: HistogramOptions, value: number): number {
  if (value < o.firstBucketSize) return 0;
  const b = Math.floor(Math.log((value * (o.ratio - 1)) / o.firstBucketSize + 1) / Math.log(o.ratio));
  return Math.min(b, numBuckets(o) - 1);
}

/** The stored form: sparse bucket weights (a VerticalPodAutoscalerCheckpoint holds the same). */
export interface HistogramState {
  /** Cluster ms; always a whole number of half-lives. */
  referenceTimestamp: number;
  weights: Record<number, number>;
  totalWeight: number;
}

export const emptyHistogram = (): HistogramState => ({ referenceTimestamp: 0, weights: {}, totalWeight: 0 });

function shiftReference(h: HistogramState, to: number): void {
  const aligned = Math.round(to / HALF_LIFE_MS) * HALF_LIFE_MS;
  const factor = 2 ** Math.round((h.referenceTimestamp - aligned) / HALF_LIFE_MS);
  for (const k of Object.keys(h.weights)) {
    const w = h.weights[Number(k)] * factor;
    if (w < EPSILON) delete h.weights[Number(k)];
    else h.weights[Number(k)] = w;
  }
  h.totalWeight *= factor;
  h.referenceTimestamp = aligned;
}

function decayFactor(h: HistogramState, t: number): number {
  if (h.totalWeight === 0 && Object.keys(h.weights).length === 0) h.referenceTimestamp = Math.round(t / HALF_LIFE_MS) * HALF_LIFE_MS;
  if (t > h.referenceTimestamp + HALF_LIFE_MS * MAX_DECAY_EXPONENT) shiftReference(h, t);
  return 2 ** ((t - h.referenceTimestamp) / HALF_LIFE_MS);
}

export function addSample(o: HistogramOptions, h: HistogramState, value: number, weight: number, t: number): void {
  const w = weight * decayFactor(h, t);
  const b = findBucket(o, value);
  h.weights[b] = (h.weights[b] ?? 0) + w;
  h.totalWeight += w;
}

/** Removes a sample added earlier (a memory peak replaced by a higher one); weights never go negative. */
export function subtractSample(o: HistogramOptions, h: HistogramState, value: number, weight: number, t: number): void {
  let w = weight * decayFactor(h, t);
  const b = findBucket(o, value);
  const have = h.weights[b] ?? 0;
  if (w > have - o.epsilon) w = have;
  h.totalWeight -= w;
  const left = have - w;
  if (left < o.epsilon) delete h.weights[b];
  else h.weights[b] = left;
}

export function isEmpty(h: HistogramState): boolean {
  return !Object.values(h.weights).some((w) => w >= EPSILON);
}

/**
 * The value below which `p` of the weight lies: walk the buckets until the running sum reaches
 * p × total and answer the END of that bucket (the start of the last bucket for the last one).
 * An empty histogram gives 0.
 */
export function percentile(o: HistogramOptions, h: HistogramState, p: number): number {
  const buckets = Object.keys(h.weights)
    .map(Number)
    .filter((b) => h.weights[b] >= o.epsilon)
    .sort((a, b) => a - b);
  if (buckets.length === 0) return 0;
  const threshold = p * h.totalWeight;
  let sum = 0;
  let bucket = buckets[buckets.length - 1];
  for (const b of buckets) {
    sum += h.weights[b];
    if (sum >= threshold) {
      bucket = b;
      break;
    }
  }
  return bucket < numBuckets(o) - 1 ? bucketStart(o, bucket + 1) : bucketStart(o, bucket);
}

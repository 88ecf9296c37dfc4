/**
 * Kubernetes' service allocators (ClusterIP and NodePort) share one rule: the range is split into
 * a lower "static" band, kept for values users ask for, and the rest; a dynamic pick is random in
 * the upper band and falls back to the lower band only when the upper one is full. This makes a
 * user-chosen value unlikely to collide with an automatic one.
 */
export interface BandedRange {
  first: number;
  last: number;
  /** How many values at the bottom of the range form the static band. */
  staticSize: number;
}

/** `min(max(lower, size / divisor), upper)`, the static band size formula of both allocators. */
export function staticBandSize(size: number, divisor: number, upper: number): number {
  return Math.min(Math.max(16, Math.floor(size / divisor)), upper);
}

/** A random free value, upper band first; undefined when the whole range is taken. */
export function pickFree(range: BandedRange, isUsed: (v: number) => boolean, random: () => number = Math.random): number | undefined {
  const split = Math.min(range.first + range.staticSize, range.last + 1);
  return scanFrom(split, range.last, isUsed, random) ?? scanFrom(range.first, split - 1, isUsed, random);
}

/** Starts at a random offset and walks forward with wrap-around, like the bitmap allocator's random scan. */
function scanFrom(lo: number, hi: number, isUsed: (v: number) => boolean, random: () => number): number | undefined {
  const count = hi - lo + 1;
  if (count <= 0) return undefined;
  const start = Math.floor(random() * count);
  for (let i = 0; i < count; i++) {
    const v = lo + ((start + i) % count);
    if (!isUsed(v)) return v;
  }
  return undefined;
}

/**
 * Splits an integer amount into parts proportional to integer weights so that the parts add up to
 * the amount exactly (largest remainder). This is what lets allocation totals reconcile with the
 * invoice to the micro-dollar.
 */
export function splitByWeights(amount: number, weights: bigint[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  if (weights.length === 0) return [];
  if (total <= 0n) return weights.map((_, i) => (i === weights.length - 1 ? amount : 0));
  const big = BigInt(amount);
  const parts = weights.map((w) => (big * w) / total);
  const rests = weights.map((w, i) => ({ i, rest: big * w - parts[i] * total }));
  let left = big - parts.reduce((a, b) => a + b, 0n);
  rests.sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.i - b.i));
  for (const { i } of rests) {
    if (left <= 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

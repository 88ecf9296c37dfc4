/** Thresholds (percent of the budget) that `spentMicro` has reached and that have no alert yet, ascending. */
export function newlyCrossed(thresholds: number[], budgetMicro: number, spentMicro: number, alreadyAlerted: Iterable<number>): number[] {
  const done = new Set(alreadyAlerted);
  // spent / budget ≥ percent / 100, in integers
  return [...new Set(thresholds)].filter((p) => !done.has(p) && BigInt(spentMicro) * 100n >= BigInt(p) * BigInt(budgetMicro)).sort((a, b) => a - b);
}

/** Thresholds a tenant may set: whole percents from 1 to 1000 (over-spend alerts allowed). */
export function validThresholds(thresholds: number[]): boolean {
  return thresholds.length > 0 && thresholds.length <= 10 && thresholds.every((p) => Number.isInteger(p) && p >= 1 && p <= 1000);
}

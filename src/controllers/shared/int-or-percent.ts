/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, or `N%` of total rounded up or down.
 * Returns undefined for a malformed value.
 */
export function scaledValue(value: number | string | undefined | null, total: number, roundUp: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Math.trunc(value);
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) {
    // A string that is a bare number is accepted as an int, as intstr.Parse would produce.
    return /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

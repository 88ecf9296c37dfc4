/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`), enough for admission arithmetic:
 * validation of requests against limits, LimitRange bounds and ResourceQuota sums.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** The value in base units (cores, bytes), or undefined when the string is not a quantity. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

export const QUANTITY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * The largest magnitude accepted: apimachinery caps binary-suffixed quantities at 2^63-1 and its
 * int64 accessors (Value, MilliValue) overflow beyond it, so a larger request can never be
 * scheduled or counted; refusing it is clearer than storing `1e308` cores.
 */
export const MAX_QUANTITY = 2 ** 63 - 1;

/** Why a value is not an acceptable quantity (its format, then its range), or undefined. */
export function quantityProblem(q: unknown): string | undefined {
  const v = parseQuantity(q);
  if (v === undefined) return QUANTITY_MSG;
  if (!Number.isFinite(v) || Math.abs(v) > MAX_QUANTITY) return 'must be no more than 9223372036854775807 (2^63-1) in magnitude';
  return undefined;
}

/** A canonical-looking string: millis for fractions, binary suffixes for exact multiples of 1024. */
export function formatQuantity(v: number): string {
  if (v === 0) return '0';
  if (!Number.isInteger(v)) {
    const milli = Math.round(v * 1000);
    return Number.isInteger(milli / 1000) ? String(milli / 1000) : `${milli}m`;
  }
  for (const [suffix, f] of [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (v >= f && v % f === 0) return `${v / f}${suffix}`;
  }
  return String(v);
}

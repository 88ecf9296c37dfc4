/**
 * Kubernetes resource quantities ("100m", "1.5Gi", "2", "500Mi", "1e3").
 *
 * A quantity is `<signed decimal><suffix>` where the suffix is binary SI (Ki Mi Gi Ti Pi Ei, powers
 * of 1024), decimal SI (n u m "" k M G T P E, powers of 1000) or a decimal exponent (e3, E-2).
 * Integer conversions round up, as apimachinery's Value() and MilliValue() do, and are exact
 * (decimal arithmetic on BigInt), so "0.1" is exactly 100 millicores.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed {
  negative: boolean;
  /** The digits of the number without its decimal point. */
  digits: bigint;
  /** Power of ten applied to `digits` (fraction digits and decimal suffixes). */
  exp10: number;
  /** Power of two applied to `digits` (binary suffixes). */
  exp2: number;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

const cache = new Map<string, Parsed>();

function parse(q: string | number): Parsed {
  const text = typeof q === 'number' ? String(q) : q.trim();
  const hit = cache.get(text);
  if (hit) return hit;
  const m = QUANTITY.exec(text);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const [, sign, number, suffix, exponent] = m;
  const dot = number.indexOf('.');
  const fraction = dot < 0 ? 0 : number.length - dot - 1;
  const digits = BigInt(number.replace('.', '') || '0');
  let exp10 = -fraction;
  let exp2 = 0;
  let format: QuantityFormat = 'DecimalSI';
  if (exponent !== undefined) {
    exp10 += Number(exponent);
    format = 'DecimalExponent';
  } else if (suffix && suffix in BINARY) {
    exp2 = BINARY[suffix];
    format = 'BinarySI';
  } else {
    exp10 += DECIMAL[suffix ?? ''];
  }
  const parsed: Parsed = { negative: sign === '-' && digits !== 0n, digits, exp10, exp2, format };
  if (cache.size > 10_000) cache.clear();
  cache.set(text, parsed);
  return parsed;
}

/** Rounds `p × 10^shift` up to an integer (toward +∞, as Kubernetes rounds quantities). */
function ceilScaled(p: Parsed, shift: number): bigint {
  let num = p.digits << BigInt(p.exp2);
  let den = 1n;
  const e = p.exp10 + shift;
  if (e >= 0) num *= 10n ** BigInt(e);
  else den = 10n ** BigInt(-e);
  const q = num / den;
  if (p.negative) return -q; // toward +∞ for negatives is truncation
  return num % den === 0n ? q : q + 1n;
}

/** True when `q` is a well-formed quantity. */
export function isQuantity(q: unknown): boolean {
  if (typeof q !== 'string' && typeof q !== 'number') return false;
  try {
    parse(q);
    return true;
  } catch {
    return false;
  }
}

/** The value in base units as a float (cores for cpu, bytes for memory). Prefer the integer forms for accounting. */
export function parseQuantity(q: string | number): number {
  const p = parse(q);
  const scaled = p.exp10 >= 0 ? Number(p.digits) * 10 ** p.exp10 : Number(p.digits) / 10 ** -p.exp10;
  const v = scaled * 2 ** p.exp2;
  return p.negative ? -v : v;
}

/** Base units rounded up to an integer (apimachinery `Value()`): bytes, pods, GPUs. */
export function parseQuantityInt(q: string | number): number {
  return Number(ceilScaled(parse(q), 0));
}

/** Thousandths rounded up (apimachinery `MilliValue()`): millicores for cpu. */
export function parseCpuMillis(q: string | number): number {
  return Number(ceilScaled(parse(q), 3));
}

/** The format a quantity string was written in; formatting keeps it, as Kubernetes does. */
export function quantityFormat(q: string | number): QuantityFormat {
  return parse(q).format;
}

/**
 * Canonical text of a value given in base units: the largest suffix that keeps an integer mantissa
 * ("1536Mi", "2Gi", "1500", "2k", "100m"). BinarySI falls back to decimal for values that are not
 * whole multiples of 1024, as Kubernetes does.
 */
export function formatQuantity(value: number, format: QuantityFormat = 'DecimalSI'): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format quantity ${value}`);
  if (value === 0) return '0';
  if (format === 'BinarySI' && Number.isInteger(value) && Math.abs(value) >= 1024) {
    let mantissa = value;
    let unit = 0;
    while (unit < 6 && mantissa % 1024 === 0) {
      mantissa /= 1024;
      unit++;
    }
    if (unit > 0) return `${mantissa}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][unit]}`;
  }
  return formatDecimal(value, format === 'DecimalExponent');
}

/** Millicores as Kubernetes prints cpu: "100m", "1", "2500m". */
export function formatCpuMillis(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

function formatDecimal(value: number, exponentForm: boolean): string {
  // Work in nano units so fractions down to "n" stay exact for values a float can hold.
  const nanos = Math.round(value * 1e9);
  let mantissa = nanos;
  let exp = -9;
  while (exp < 18 && mantissa % 1000 === 0) {
    mantissa /= 1000;
    exp += 3;
  }
  if (exponentForm) return exp === 0 ? String(mantissa) : `${mantissa}e${exp}`;
  const suffix = Object.keys(DECIMAL).find((k) => DECIMAL[k] === exp) ?? '';
  return `${mantissa}${suffix}`;
}

export const QUANTITY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The value in base units (cores, bytes) of a client's field, or undefined when it is not a quantity. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  return typeof q === 'string' && isQuantity(q) ? parseQuantity(q) : undefined;
}

/** Why a value is not an acceptable quantity (its format, then its range), or undefined. */
export function quantityProblem(q: unknown): string | undefined {
  if (quantityValue(q) === undefined) return QUANTITY_MSG;
  if (exceedsInt64(parse(q as string | number))) return 'must be no more than 9223372036854775807 (2^63-1) in magnitude';
  return undefined;
}

/**
 * Whether the magnitude, rounded up to an integer, is beyond 2^63-1 (exact, and cheap for huge
 * exponents): apimachinery caps quantities there and its int64 accessors (Value, MilliValue)
 * overflow beyond it, so a larger request can never be scheduled or counted; refusing it is
 * clearer than storing `1e308` cores.
 */
function exceedsInt64(p: Parsed): boolean {
  if (p.digits === 0n) return false;
  const magnitude = p.digits.toString().length + p.exp10 + Math.ceil(p.exp2 * Math.log10(2));
  if (magnitude > 40) return true;
  if (magnitude < -40) return false;
  return ceilScaled({ ...p, negative: false }, 0) > 2n ** 63n - 1n;
}

/**
 * How admission prints an amount it computed (ResourceQuota `status.used`, LimitRange defaults):
 * fractions in millis, whole multiples of 1024 with the largest binary suffix, else the plain integer.
 */
export function formatAmount(v: number): string {
  if (v === 0) return '0';
  if (!Number.isInteger(v)) {
    const milli = Math.round(v * 1000);
    return Number.isInteger(milli / 1000) ? String(milli / 1000) : `${milli}m`;
  }
  for (const [suffix, f] of [
    ['Ei', 2 ** 60],
    ['Pi', 2 ** 50],
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (v >= f && v % f === 0) return `${v / f}${suffix}`;
  }
  return String(v);
}

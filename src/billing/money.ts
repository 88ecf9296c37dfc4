/**
 * Money arithmetic on integers. Amounts are micro-USD (1e-6), unit prices nano-USD (1e-9) because
 * published rates such as Autopilot's $0.0049225 per GiB-hour need the extra digits. Products that
 * may pass 2^53 are computed in BigInt; results are rounded once, half away from zero.
 */

export const NANO_PER_MICRO = 1000;
export const MICRO_PER_USD = 1_000_000;

/** Rounds num/den to the nearest integer, halves away from zero. den must be positive. */
export function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num % den;
  if (r * 2n >= den) return q + 1n;
  if (r * 2n <= -den) return q - 1n;
  return q;
}

/** (a × b × ...) / divisor, rounded: the single rounding step of every prorated charge. */
export function mulDivRound(factors: Array<number | bigint>, divisor: number | bigint): number {
  let product = 1n;
  for (const f of factors) product *= BigInt(f);
  return Number(divRound(product, BigInt(divisor)));
}

/** Micro-USD → USD decimal string rounded to the cent: 283_240_000 → "283.24". */
export function formatUsd(micro: number): string {
  return formatScaled(BigInt(micro), 6, 2);
}

/** A unit price in nano-USD → shortest exact decimal with at least two places: 4_922_500 → "0.0049225". */
export function formatNanoPrice(nano: number): string {
  return trimZeros(formatScaled(BigInt(nano), 9, 9), 2);
}

/** A quantity × 1e6 → shortest exact decimal: 1_500_000 → "1.5". */
export function formatQuantity(micro: number): string {
  return trimZeros(formatScaled(BigInt(micro), 6, 6), 0);
}

export interface Money {
  amount: string;
  currency: 'USD';
}

export function money(micro: number): Money {
  return { amount: formatUsd(micro), currency: 'USD' };
}

/** "12.5" or "12.50" → 12_500_000 micro-USD; throws on anything but a plain decimal. */
export function parseUsd(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) throw new Error(`not a USD amount: ${text}`);
  const micro = Number(m[2]) * MICRO_PER_USD + Number((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -micro : micro;
}

/**
 * Rounds each amount to cents so that the rounded parts add up to the rounded total (largest
 * remainder method): displayed invoice lines then always sum to the displayed total.
 */
export function centsPreservingTotal(micros: number[]): number[] {
  const total = micros.reduce((a, b) => a + b, 0);
  const target = Number(divRound(BigInt(total), 10_000n));
  const floors = micros.map((m) => Math.floor(m / 10_000));
  let remaining = target - floors.reduce((a, b) => a + b, 0);
  const order = micros.map((m, i) => ({ i, rest: m - floors[i] * 10_000 })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const cents = [...floors];
  for (const { i } of order) {
    if (remaining <= 0) break;
    cents[i] += 1;
    remaining -= 1;
  }
  return cents;
}

/** Cents → "12.34". */
export function formatCents(cents: number): string {
  return formatScaled(BigInt(cents), 2, 2);
}

function formatScaled(value: bigint, scale: number, places: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const rounded = scale > places ? divRound(abs, 10n ** BigInt(scale - places)) : abs * 10n ** BigInt(places - scale);
  const digits = rounded.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  const text = places > 0 ? `${whole}.${frac}` : whole;
  return negative && rounded !== 0n ? `-${text}` : text;
}

function trimZeros(text: string, minPlaces: number): string {
  if (!text.includes('.')) return text;
  let [whole, frac] = text.split('.');
  frac = frac.replace(/0+$/, '');
  if (frac.length < minPlaces) frac = frac.padEnd(minPlaces, '0');
  return frac.length > 0 ? `${whole}.${frac}` : whole;
}

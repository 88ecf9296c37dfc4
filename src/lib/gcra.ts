/**
 * The generic cell rate algorithm (a token bucket kept as one timestamp): each request pushes the
 * key's theoretical arrival time (TAT) one emission interval into the future, and a request is
 * refused when that would put the TAT more than `burst` intervals ahead of now. Unlike counters of
 * fixed windows, no edge resets the budget: any span of `w` ms admits at most `burst + w / interval`
 * requests. The Redis script and the D1 statement implement this same rule.
 */
export interface Rate {
  /** Milliseconds between requests at the sustained rate. */
  intervalMs: number;
  /** Requests that may arrive at once after a quiet period. */
  burst: number;
}

/** A budget of `limitPerMinute` with a burst of a tenth of it (six seconds' worth) unless given. */
export function perMinute(limitPerMinute: number, burst = Math.max(1, Math.ceil(limitPerMinute / 10))): Rate {
  return { intervalMs: 60_000 / limitPerMinute, burst };
}

export interface GcraOutcome {
  allowed: boolean;
  /** The TAT to store (unchanged when refused). */
  tat: number;
  /** How long until the request would be allowed (0 when allowed). */
  retryAfterMs: number;
}

/**
 * One decision for a key whose stored TAT is `tat` (undefined: never seen). A negative `cost` gives
 * requests back (never below now, so the budget cannot grow past its burst).
 */
export function gcra(tat: number | undefined, now: number, rate: Rate, cost = 1): GcraOutcome {
  const base = Math.max(tat ?? now, now);
  const next = base + cost * rate.intervalMs;
  if (cost <= 0) return { allowed: true, tat: Math.max(next, now), retryAfterMs: 0 };
  const over = next - now - rate.burst * rate.intervalMs;
  if (over > 0) return { allowed: false, tat: base, retryAfterMs: over };
  return { allowed: true, tat: next, retryAfterMs: 0 };
}

/** Whole seconds for a `Retry-After` header: at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

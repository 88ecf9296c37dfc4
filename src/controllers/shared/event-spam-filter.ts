/**
 * client-go's EventSourceObjectSpamFilter: each (source, involved object, reason) may record a
 * burst of 25 Events, then one more per 5 minutes. A ReplicaSet creating 1,000 pods therefore
 * records 25 "Created pod" Events, as on a real cluster, instead of 1,000 writes. client-go's
 * default key leaves the reason out; with it, 25 SuccessfulCreate cannot silence the FailedCreate
 * that follows them. Kept per process, like the controller-manager's recorder.
 */
const BURST = 25;
const REFILL_MS = 300_000;
const MAX_KEYS = 50_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class EventSpamFilter {
  private buckets = new Map<string, Bucket>();

  /** Takes a token for `key` at cluster time `nowMs`; false when the Event must be dropped. */
  allow(key: string, nowMs: number): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: BURST, at: nowMs };
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
    } else {
      this.buckets.delete(key);
      const refill = Math.floor(Math.max(0, nowMs - b.at) / REFILL_MS);
      if (refill > 0) b = { tokens: Math.min(BURST, b.tokens + refill), at: b.at + refill * REFILL_MS };
    }
    // Re-inserted last: the map's first key is the least recently used one.
    this.buckets.set(key, b);
    if (b.tokens <= 0) return false;
    b.tokens--;
    if (b.tokens === BURST - 1) b.at = nowMs;
    return true;
  }
}

export const eventSpamFilter = new EventSpamFilter();

import type { RateLimiter } from './rate-limit.ts';
import type { Rate } from '../../lib/gcra.ts';

/** The most requests one reservation takes from the shared budget. */
const MAX_BLOCK = 64;
/** Keys remembered per process; forgetting a key only forgets its unspent reservation (stricter). */
const MAX_KEYS = 10_000;
/** How long a key whose block was refused takes its requests one at a time. */
const NEAR_LIMIT_MS = 1_000;

/**
 * Requests a process may take per round trip to the shared budget: a tenth of the burst, at most
 * MAX_BLOCK. Below 2 every request asks the shared budget, so small budgets stay exact.
 */
export function blockSize(rate: Rate): number {
  return Math.min(MAX_BLOCK, Math.floor(rate.burst / 10));
}

/**
 * A process-local front for the shared GCRA budget (Redis or D1) so the request path does not make a
 * round trip per request: a single request is served from a block of requests this process reserved
 * from the shared budget in one step, and only an empty block asks it again. When the shared budget
 * cannot give a whole block it is asked for the one request, so near the limit the answer is exact.
 *
 * Every admitted request was charged to the shared budget, so the GCRA bound still holds except that
 * a process may spend a reserved request later than it was charged: any span admits at most the GCRA
 * bound plus, per process, one block less one (`blockSize` − 1 ≤ a tenth of the burst). Other costs
 * (the sign-in throttle's refunds) go to the shared budget unchanged.
 */
export class ReservedBudget implements RateLimiter {
  private readonly left = new Map<string, number>();
  private readonly reserving = new Map<string, Promise<void>>();
  /** Keys whose last block was refused: near their limit, single requests ask the shared budget. */
  private readonly nearLimit = new Map<string, number>();

  constructor(
    private readonly shared: RateLimiter,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async hit(key: string, rate: Rate, cost = 1): Promise<number> {
    const block = blockSize(rate);
    if (cost !== 1 || block < 2) return this.shared.hit(key, rate, cost);
    // While the shared store is down the request meets it (503 at once) rather than a reserved block:
    // the rest of the request would need it too (queues, pub/sub), as without reservations.
    if (this.shared.available?.() === false) return this.shared.hit(key, rate, cost);
    // One reservation at a time per key: concurrent requests wait for it instead of each reserving.
    for (;;) {
      if (this.take(key)) {
        this.refillAhead(key, rate, block);
        return 0;
      }
      const pending = this.reserving.get(key);
      if (!pending) break;
      await pending;
    }
    const near = this.nearLimit.get(key);
    if (near !== undefined) {
      if (this.now() < near) return this.shared.hit(key, rate, 1);
      this.nearLimit.delete(key);
    }
    let granted = false;
    const reservation = this.shared.hit(key, rate, block).then((wait) => {
      if (wait > 0) {
        if (this.nearLimit.size >= MAX_KEYS) this.nearLimit.clear();
        this.nearLimit.set(key, this.now() + NEAR_LIMIT_MS);
        return;
      }
      granted = true;
      if (this.left.size >= MAX_KEYS && !this.left.has(key)) this.left.clear();
      // This request takes one of the block.
      this.left.set(key, (this.left.get(key) ?? 0) + block - 1);
    });
    const settled = reservation.then(
      () => undefined,
      () => undefined,
    );
    this.reserving.set(key, settled);
    try {
      await reservation;
    } finally {
      if (this.reserving.get(key) === settled) this.reserving.delete(key);
    }
    if (granted) return 0;
    // Not a whole block left: ask for just this request, as without reservations.
    return this.shared.hit(key, rate, 1);
  }

  /**
   * Once a block is half spent, reserves the next half in the background, so requests keep being
   * served from the process while the shared store answers (a busy Redis then costs no request its
   * round trip). The refill starts only below half a block, so what a process holds unspent stays
   * below one block, as without it; near the limit (a refused block) there is no refill.
   */
  private refillAhead(key: string, rate: Rate, block: number): void {
    const half = Math.floor(block / 2);
    if (half < 1 || (this.left.get(key) ?? 0) >= half || this.reserving.has(key) || this.nearLimit.has(key)) return;
    const settled = this.shared.hit(key, rate, half).then(
      (wait) => {
        if (wait > 0) {
          if (this.nearLimit.size >= MAX_KEYS) this.nearLimit.clear();
          this.nearLimit.set(key, this.now() + NEAR_LIMIT_MS);
          return;
        }
        if (this.left.size >= MAX_KEYS && !this.left.has(key)) this.left.clear();
        this.left.set(key, (this.left.get(key) ?? 0) + half);
      },
      () => undefined, // the request that finds the block empty meets the failure itself
    );
    this.reserving.set(key, settled);
    void settled.finally(() => this.reserving.get(key) === settled && this.reserving.delete(key));
  }

  private take(key: string): boolean {
    const n = this.left.get(key);
    if (!n) return false;
    if (n === 1) this.left.delete(key);
    else this.left.set(key, n - 1);
    return true;
  }
}

const fronts = new WeakMap<RateLimiter, ReservedBudget>();

/** The process's one ReservedBudget in front of `shared`. */
export function reservedBudget(shared: RateLimiter): RateLimiter {
  let f = fronts.get(shared);
  if (!f) fronts.set(shared, (f = new ReservedBudget(shared)));
  return f;
}

import type { RateLimiter } from '../../middleware/rate-limit.ts';
import { perMinute } from '../../../lib/gcra.ts';

/** Failed key exchanges allowed per source address, and per key prefix: 30 a minute after 20 at once. */
export const SIGN_IN_RATE = perMinute(30, 20);

/**
 * How much of a presented key names its bucket: `kates_live_` and the first 8 random characters.
 * Guesses that share a leaked beginning of one key share its budget, whatever address they come from.
 */
const KEY_PREFIX_LENGTH = 'kates_live_'.length + 8;

/**
 * Throttles `POST /v1/auth/token` by source address and by key prefix. Every attempt takes from
 * both budgets before the key is looked up, so parallel guesses cannot slip past; a successful
 * exchange gives its share back, so only failures count.
 */
export function signInThrottle(limiter: RateLimiter) {
  const buckets = (address: string, apiKey: string) => [`signin:addr:${address}`, `signin:key:${apiKey.slice(0, KEY_PREFIX_LENGTH)}`];
  return {
    /** Seconds to wait when either budget is spent (nothing is taken then), else 0. */
    async attempt(address: string, apiKey: string): Promise<number> {
      const [byAddress, byKey] = buckets(address, apiKey);
      const addressWait = await limiter.hit(byAddress, SIGN_IN_RATE);
      if (addressWait > 0) return addressWait;
      const keyWait = await limiter.hit(byKey, SIGN_IN_RATE);
      if (keyWait > 0) await limiter.hit(byAddress, SIGN_IN_RATE, -1);
      return keyWait;
    },
    /** The key was right: the attempt does not count against either budget. */
    async succeeded(address: string, apiKey: string): Promise<void> {
      await Promise.all(buckets(address, apiKey).map((b) => limiter.hit(b, SIGN_IN_RATE, -1)));
    },
  };
}

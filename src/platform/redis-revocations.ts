import type { Redis } from 'ioredis';
import type { RevokedKeys } from '../auth/revoked-keys.ts';
import type { Logger } from '../lib/logger.ts';

export const revocationChannel = (prefix: string) => `${prefix}:revoked-keys`;

/** Announces a revocation to every process sharing this Redis. */
export function announceRevocation(redis: Redis, prefix: string) {
  return async (apiKeyId: string) => {
    await redis.publish(revocationChannel(prefix), apiKeyId);
  };
}

/**
 * Keeps this process's revoked-key set fresh: each announcement takes effect at once, and every
 * (re)connection of the subscriber catches up from SQL for whatever was announced while it was away.
 * Its own connection, so the watch feed's subscriber sees only watch events.
 */
export function followRevocations(revokedKeys: RevokedKeys, redis: Redis, prefix: string, log: Logger): { close(): Promise<void> } {
  const channel = revocationChannel(prefix);
  const sub = redis.duplicate();
  sub.on('ready', () => void revokedKeys.catchUp().catch((err: Error) => log.warn({ err: err.message }, 'could not read the revoked API keys')));
  sub.on('message', (ch: string, apiKeyId: string) => {
    if (ch === channel) revokedKeys.markRevoked(apiKeyId);
  });
  sub.on('error', () => undefined);
  sub.subscribe(channel).catch(() => undefined);
  return {
    async close() {
      sub.disconnect();
    },
  };
}

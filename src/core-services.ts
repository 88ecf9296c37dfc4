import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import type { Database } from './store/db.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { WorkQueue } from './queue/port.ts';
import type { RateLimiter } from './api/middleware/rate-limit.ts';
import { ObjectStore } from './store/objects.ts';
import { registerMeteringHook } from './billing/metering-hook.ts';
import { SigningKeys } from './auth/signing-keys.ts';
import { TokenService } from './auth/tokens.ts';
import { RevokedKeys, type RevokedKeysOptions } from './auth/revoked-keys.ts';

/** The adapters a deployment picks for itself; everything else in Deps is built the same way on each. */
export interface RuntimeAdapters {
  config: Config;
  database: Database;
  clock: Clock;
  log: Logger;
  queue: WorkQueue;
  rateLimiter: RateLimiter;
  caCert?: string;
  /** How this runtime keeps the revoked-key set fresh across processes. */
  revocations: RevokedKeysOptions;
  clientAddress?: Deps['clientAddress'];
}

/** The runtime-neutral services every deployment builds the same way over its own database. */
export function buildDeps(adapters: RuntimeAdapters): Deps {
  const { revocations, ...rest } = adapters;
  const { config, database, clock } = adapters;
  const store = new ObjectStore(database, clock);
  // Billing intervals follow object writes inside the same atomic write.
  registerMeteringHook(store);
  const keys = new SigningKeys(database);
  const tokens = new TokenService(keys, {
    issuer: config.issuer,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    clusterTokenTtlSeconds: config.clusterTokenTtlSeconds,
    external: config.externalAuth,
  });
  return { ...rest, store, keys, tokens, revokedKeys: new RevokedKeys(database, revocations) };
}

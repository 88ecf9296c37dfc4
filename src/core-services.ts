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
import { planPodLimit } from './services/tenants/pod-limit.ts';

/** The adapters a deployment picks for itself; everything else in Deps is built the same way on each. */
export interface RuntimeAdapters {
  config: Config;
  database: Database;
  clock: Clock;
  log: Logger;
  queue: WorkQueue;
  rateLimiter: RateLimiter;
  caCert?: string;
}

/** The runtime-neutral services every deployment builds the same way over its own database. */
export function buildDeps(adapters: RuntimeAdapters): Deps {
  const { config, database, clock } = adapters;
  const store = new ObjectStore(database, clock);
  // Billing intervals follow object writes inside the same atomic write.
  registerMeteringHook(store);
  // Every pod create, a client's or a controller's, stays within the plan's pods per cluster.
  store.limitPods(planPodLimit(database));
  const keys = new SigningKeys(database);
  const tokens = new TokenService(keys, {
    issuer: config.issuer,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    clusterTokenTtlSeconds: config.clusterTokenTtlSeconds,
    external: config.externalAuth,
  });
  return { ...adapters, store, keys, tokens };
}

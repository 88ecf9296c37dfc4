import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import type { Database } from './store/db.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { WorkQueue } from './queue/port.ts';
import type { RateLimiter } from './api/middleware/rate-limit.ts';
import { ObjectStore } from './store/objects.ts';
import { controllers } from './controllers/registry.ts';
import { setRootCaCert } from './controllers/serviceaccount/root-ca.ts';
import { wakeAllControllers, wakeOnCommit } from './queue/wake.ts';
import type { OperationDeps } from './services/operations/run.ts';
import { registerMeteringHook } from './billing/metering-hook.ts';
import { SigningKeys } from './auth/signing-keys.ts';
import { TokenService } from './auth/tokens.ts';
import { RevokedKeys, type RevokedKeysOptions } from './auth/revoked-keys.ts';
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
  /** How this runtime keeps the revoked-key set fresh across processes. */
  revocations: RevokedKeysOptions;
  clientAddress?: Deps['clientAddress'];
  /** Whether a writer waits for the wake-ups of its commit (Workers) or they go in the background (Node). */
  wakeups: 'awaited' | 'background';
}

/** The runtime-neutral services every deployment builds the same way over its own database. */
export function buildDeps(adapters: RuntimeAdapters): Deps {
  const { config, database, clock, wakeups, revocations, ...rest } = adapters;
  const store = new ObjectStore(database, clock);
  // Published in every namespace as kube-root-ca.crt.
  setRootCaCert(adapters.caCert);
  // Billing intervals follow object writes inside the same atomic write.
  registerMeteringHook(store);
  // Every commit wakes the controllers that watch what it touched.
  wakeOnCommit(store, adapters.queue, controllers, adapters.log, wakeups);
  // Every pod create, a client's or a controller's, stays within the plan's pods per cluster.
  store.limitPods(planPodLimit(database));
  const keys = new SigningKeys(database);
  const tokens = new TokenService(keys, {
    issuer: config.issuer,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    clusterTokenTtlSeconds: config.clusterTokenTtlSeconds,
    external: config.externalAuth,
  });
  const revokedKeys = new RevokedKeys(database, revocations);
  // Verified tokens are cached until they expire; a revoked key's are dropped at once.
  revokedKeys.onRevoked((apiKeyId) => tokens.forgetKey(apiKeyId));
  return { ...rest, config, database, clock, store, keys, tokens, revokedKeys };
}

/** What management operations run with: a cluster that becomes RUNNING gets one pass of every controller, which arms their timers. */
export function operationDeps(deps: Pick<Deps, 'database' | 'store' | 'log' | 'clock' | 'queue'>): OperationDeps {
  return {
    database: deps.database,
    store: deps.store,
    log: deps.log,
    now: () => deps.clock.now(),
    clusterRunning: (clusterId) => wakeAllControllers(deps.queue, controllers, clusterId),
  };
}

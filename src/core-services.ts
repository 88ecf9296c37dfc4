import type { Config } from './config.ts';
import type { Database } from './store/db.ts';
import type { Clock } from './lib/clock.ts';
import { ObjectStore } from './store/objects.ts';
import { registerMeteringHook } from './billing/metering-hook.ts';
import { SigningKeys } from './auth/signing-keys.ts';
import { TokenService } from './auth/tokens.ts';

/** The runtime-neutral services every deployment builds the same way over its own database. */
export function buildCoreServices(config: Config, database: Database, clock: Clock) {
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
  return { store, keys, tokens };
}

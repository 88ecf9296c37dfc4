import type { Context } from 'hono';
import type { Config } from './config.ts';
import type { Database } from './store/db.ts';
import type { ObjectStore } from './store/objects.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { SigningKeys } from './auth/signing-keys.ts';
import type { TokenService } from './auth/tokens.ts';
import type { RevokedKeys } from './auth/revoked-keys.ts';
import type { WorkQueue } from './queue/port.ts';
import type { RateLimiter } from './api/middleware/rate-limit.ts';

/** Everything the app and the workers need: each runtime picks its adapters and `buildDeps` (core-services.ts) builds the rest. */
export interface Deps {
  config: Config;
  database: Database;
  store: ObjectStore;
  clock: Clock;
  log: Logger;
  keys: SigningKeys;
  tokens: TokenService;
  /** Revoked API keys, checked for every token minted from a key (access, kubeconfig, namespace). */
  revokedKeys: RevokedKeys;
  queue: WorkQueue;
  rateLimiter: RateLimiter;
  /** PEM of the service's own CA, embedded in kubeconfigs when it signed the server certificate. */
  caCert?: string;
  /** The caller's network address as this runtime sees it (the socket on Node, CF-Connecting-IP on Workers). */
  clientAddress?(c: Context): string | undefined;
}

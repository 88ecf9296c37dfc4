import type { Hono } from 'hono';
import { loadConfig } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import type { AppEnv } from '../../api/env.ts';
import { buildHttpApp } from '../../app-parts.ts';
import { systemClock } from '../../lib/clock.ts';
import { ensureAdminKey } from '../../services/tenants/admin-key.ts';
import { controllers } from '../../controllers/registry.ts';
import { assetsFromBinding } from './console-assets.ts';
import { renderFamiliesAsText } from './prometheus-text.ts';
import { workersWebSocketAcceptor } from './websocket.ts';
import type { Queue, WorkerEnv } from './bindings.ts';
import { openD1 } from './d1.ts';
import { CloudflareWorkQueue } from './queue.ts';
import { d1RateLimiter } from './rate-limiter.ts';
import { pollingChangeFeed } from './polling-feed.ts';
import { consoleLogger } from './logger.ts';
import { installSigningKeyFromSecret } from './signing-secret.ts';
import type { ConsumerDeps } from './consumer.ts';
import type { WorkMessage } from './messages.ts';
import { buildDeps, operationDeps } from '../../core-services.ts';

export interface WorkersRuntime {
  deps: Deps;
  app: Hono<AppEnv>;
  queue: CloudflareWorkQueue;
  consumer: ConsumerDeps;
}

/** Vars and secrets are strings; bindings are objects. Only the strings are configuration. */
export function configVars(env: WorkerEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Builds the deployment from the Worker's bindings: the same Deps, app and controllers as Node, with
 * D1, Cloudflare Queues, a D1 rate limiter and a polling watch feed in place of SQLite and Redis.
 * Built once per isolate (bindings are not tied to a request) and reused by every invocation.
 */
export async function buildWorkersRuntime(env: WorkerEnv): Promise<WorkersRuntime> {
  const vars = configVars(env);
  // TLS is Cloudflare's at the edge; PORT and DATA_DIR have no meaning here.
  const config = loadConfig({ TLS: 'on', ...vars });
  const log = consoleLogger(config.logLevel);
  const clock = systemClock;
  const database = openD1(env.DB);
  const queue = new CloudflareWorkQueue(database, env.WORK_QUEUE as Queue<WorkMessage>, log);
  const deps = buildDeps({
    config,
    database,
    clock,
    log,
    queue,
    rateLimiter: d1RateLimiter(database),
    caCert: vars.CA_CERT || undefined,
    // Isolates share no memory or pub/sub: each catches up from D1 when its view is older than this.
    revocations: { maxStalenessMs: 500 },
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    wakeups: 'awaited',
  });
  const { store } = deps;
  await deps.revokedKeys.catchUp();

  const now = Date.now();
  if (vars.SIGNING_KEY_JWK) await installSigningKeyFromSecret(database, vars.SIGNING_KEY_JWK, now);
  // A Worker has no start-up step: the first invocation of any route makes sure a key exists, so the
  // JWKS is never empty (an empty set would be cached by whoever fetched it first).
  else await deps.keys.signingKey();
  // Only a configured admin key: a generated one could only be shown in the logs.
  // Isolates starting together may both insert the key; the loser finds it on a second look.
  if (config.adminKey) await ensureAdminKey(database, config.adminKey, now).catch(() => ensureAdminKey(database, config.adminKey, now));
  else log.warn('KATES_ADMIN_KEY is not set: put it with `wrangler secret put KATES_ADMIN_KEY` to administer tenants');

  const feed = pollingChangeFeed(store, { intervalMs: Number(vars.WATCH_POLL_MS) || 500, log });
  // The same parts as the Node runtime mounts, but the service's own /metrics (prom-client, Node's
  // process and BullMQ figures): Cloudflare's analytics cover the Worker itself.
  const app = buildHttpApp(deps, {
    feed,
    renderMetrics: renderFamiliesAsText,
    consoleAssets: env.ASSETS ? assetsFromBinding(env.ASSETS) : undefined,
    // As the revoked-key set: an RBAC write reaches the other isolates within a second.
    rbacPolicyTtlMs: 1000,
    acceptWebSocket: workersWebSocketAcceptor,
  });

  const consumer: ConsumerDeps = {
    database,
    store,
    clock,
    log,
    queue,
    controllers,
    controllerByName: new Map(controllers.map((c) => [c.name, c])),
    // Replaced per batch by the consumer, which awaits what its passes trigger.
    trigger: (clusterId, controller, afterMs) =>
      void queue
        .enqueueReconcile(clusterId, controller, afterMs)
        .catch((err: Error) => log.error({ clusterId, controller, err: err.message }, 'could not enqueue a reconcile pass')),
    operationDeps: operationDeps(deps),
  };
  return { deps, app, queue, consumer };
}

let ready: WorkersRuntime | undefined;

/**
 * The isolate's runtime, built on first use. Invocations that arrive together at a cold start each
 * build one and the first kept wins: sharing the pending build would make one invocation await I/O
 * started by another, which workerd does not allow to finish across invocations.
 */
export async function workersRuntime(env: WorkerEnv): Promise<WorkersRuntime> {
  if (ready) return ready;
  const runtime = await buildWorkersRuntime(env);
  return (ready ??= runtime);
}

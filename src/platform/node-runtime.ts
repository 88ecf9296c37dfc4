import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { inArray } from 'drizzle-orm';
import type { Config, Role } from '../config.ts';
import type { Deps } from '../deps.ts';
import type { AppEnv } from '../api/env.ts';
import { buildHttpApp } from '../app-parts.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { operations } from '../store/schema/index.ts';
import { ensureAdminKey } from '../services/tenants/admin-key.ts';
import { controllers } from '../controllers/registry.ts';
import { createLogger } from './logger.ts';
import { openSqlite } from './sqlite.ts';
import { assertNoEviction, connectRedis, startLocalRedis, type LocalRedis } from './redis.ts';
import { loadOrCreateTls } from './tls.ts';
import { BullTransport } from './bullmq.ts';
import { redisChangeFeed } from './redis-feed.ts';
import { redisRateLimiter } from './redis-rate-limiter.ts';
import { ServiceMetrics, renderFamilies } from './prometheus.ts';
import { loadConsoleAssets } from './console-assets.ts';
import { buildDeps, operationDeps } from '../core-services.ts';

export interface Runtime {
  deps: Deps;
  app: Hono<AppEnv>;
  server?: Server;
  /** The URL the HTTP server listens on (with the real port when PORT=0). */
  url?: string;
  redisUrl: string;
  generatedAdminKey?: string;
  transport: BullTransport;
  stop(): Promise<void>;
}

export interface StartOptions {
  role?: Role;
  clock?: Clock;
  log?: Logger;
  /** Skip listening (tests that use app.request). */
  listen?: boolean;
}

/**
 * Builds and starts the Node deployment: SQLite, Redis (a private redis-server when REDIS_URL is
 * unset), the HTTP(S) server for the API role and BullMQ workers for the worker role.
 */
export async function startRuntime(config: Config, opts: StartOptions = {}): Promise<Runtime> {
  const role = opts.role ?? 'all';
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  let localRedis: LocalRedis | undefined;
  const redisUrl = config.redisUrl ?? (localRedis = await startLocalRedis(`${config.dataDir}/redis`, log)).url;
  const redis = connectRedis(redisUrl);
  await assertNoEviction(redis);
  const sub: Redis = redis.duplicate();

  const database = openSqlite(config.databasePath);
  const transport = new BullTransport(redis, config.queuePrefix, log);
  const tls = config.tls ? await loadOrCreateTls({ dataDir: config.dataDir, publicHost: new URL(config.publicUrl).hostname, certFile: config.tlsCertFile, keyFile: config.tlsKeyFile, log }) : undefined;
  const deps = buildDeps({ config, database, clock, log, queue: transport, rateLimiter: redisRateLimiter(redis, config.queuePrefix), caCert: tls?.caCert, wakeups: 'background' });
  const { store, keys } = deps;
  const feed = redisChangeFeed(store, redis, sub, config.queuePrefix);
  const { generatedKey } = await ensureAdminKey(database, config.adminKey, clock.now());
  await keys.signingKey();

  const serviceMetrics = new ServiceMetrics({ database, queues: [transport.reconcileQueue, transport.heavyReconcileQueue, transport.operationsQueue, transport.billingQueue] });
  const app = buildHttpApp(deps, {
    feed,
    renderMetrics: renderFamilies,
    consoleAssets: loadConsoleAssets(),
    middleware: [serviceMetrics.httpMiddleware()],
    routers: [serviceMetrics.router()],
  });

  if (role !== 'api') {
    transport.startWorkers({
      database,
      store,
      clock,
      log,
      controllers,
      concurrency: config.workerConcurrency,
      billingMs: config.billingMs,
      jobLockMs: config.jobLockMs,
      now: () => clock.now(),
      operationDeps: operationDeps(deps),
      trigger: (clusterId, controller, afterMs) => transport.wakeInBackground(clusterId, controller, afterMs),
    });
    serviceMetrics.watchWorkers(transport.workers);
    // Operations whose job was lost (e.g. a crash between commit and enqueue) are picked up again.
    await transport.resumeOperations(async () =>
      (await database.db.select({ id: operations.id }).from(operations).where(inArray(operations.status, ['PENDING', 'RUNNING'])).all()).map((r) => r.id),
    );
  }

  let server: Server | undefined;
  let url: string | undefined;
  if (role !== 'worker' && opts.listen !== false) {
    const listener = getRequestListener(app.fetch);
    server = tls ? (createHttpsServer({ key: tls.key, cert: tls.cert }, listener) as unknown as Server) : createHttpServer(listener);
    await new Promise<void>((resolve) => server!.listen(config.port, config.host, resolve));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    log.info({ url, role }, 'kates API listening');
  }

  let stopped = false;
  return {
    deps,
    app,
    server,
    url,
    redisUrl,
    generatedAdminKey: generatedKey,
    transport,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Stop taking requests, let in-flight ones and running jobs finish, then close connections.
      if (server) {
        await new Promise<void>((resolve) => {
          server!.close(() => resolve());
          server!.closeIdleConnections?.();
          setTimeout(() => server!.closeAllConnections?.(), 5_000).unref();
        });
      }
      await transport.close();
      await feed.close();
      sub.disconnect();
      await redis.quit().catch(() => undefined);
      await database.close();
      await localRedis?.stop();
    },
  };
}

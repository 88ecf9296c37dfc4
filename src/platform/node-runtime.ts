import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { inArray } from 'drizzle-orm';
import type { Config, Role } from '../config.ts';
import type { Deps } from '../deps.ts';
import type { AppEnv } from '../api/env.ts';
import { buildHttpApp } from '../app-parts.ts';
import { nodeWebSocketAcceptor, serveUpgrades } from './upgrades.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { operations } from '../store/schema/index.ts';
import { ensureAdminKey } from '../services/tenants/admin-key.ts';
import { controllers } from '../controllers/registry.ts';
import { createLogger } from './logger.ts';
import { openSqlite } from './sqlite.ts';
import { openPostgres } from './postgres/open.ts';
import { assertNoEviction, connectFailFast, connectRedis, startLocalRedis, whenReady, type LocalRedis } from './redis.ts';
import { bounded } from './bounded.ts';
import { resumeAfterRedisOutages } from './redis-recovery.ts';
import { loadOrCreateTls } from './tls.ts';
import { BullTransport } from './bullmq.ts';
import { redisChangeFeed } from './redis-feed.ts';
import { redisRateLimiter } from './redis-rate-limiter.ts';
import { announceRevocation, followRevocations } from './redis-revocations.ts';
import { ServiceMetrics, renderFamilies } from './prometheus.ts';
import { loadConsoleAssets } from './console-assets.ts';
import { buildDeps, operationDeps } from '../core-services.ts';
import { superviseWorkerProcess, type WorkerProcess } from './worker-process.ts';

export interface Runtime {
  deps: Deps;
  app: Hono<AppEnv>;
  server?: Server;
  /** The URL the HTTP server listens on (with the real port when PORT=0). */
  url?: string;
  redisUrl: string;
  generatedAdminKey?: string;
  transport: BullTransport;
  /** The supervised worker process, when the workers run in one (see StartOptions.workerProcess). */
  workerProcess?: WorkerProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  role?: Role;
  clock?: Clock;
  log?: Logger;
  /** Skip listening (tests that use app.request). */
  listen?: boolean;
  /**
   * With role `all`: run the workers in a supervised child process (`entry --role worker`, with `env`
   * plus this process' Redis URL) instead of on this process' event loop.
   */
  workerProcess?: { entry: string; env: Record<string, string | undefined> };
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Longest a request waits for a Redis that keeps its connection but stops answering. */
const REQUEST_REDIS_TIMEOUT_MS = 1_500;

/**
 * Builds and starts the Node deployment: SQLite, Redis (a private, supervised redis-server when
 * REDIS_URL is unset), the HTTP(S) server for the API role and BullMQ workers for the worker role.
 * While Redis is down requests fail fast (503) and /readyz says so; when it is back, workers resume
 * and re-wake every live cluster (see BullTransport.rewakeAll).
 */
export async function startRuntime(config: Config, opts: StartOptions = {}): Promise<Runtime> {
  const role = opts.role ?? 'all';
  const workersHere = role === 'worker' || (role === 'all' && !opts.workerProcess);
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  let localRedis: LocalRedis | undefined;
  const redisUrl = config.redisUrl ?? (localRedis = await startLocalRedis(`${config.dataDir}/redis`, log)).url;
  // Three kinds of connection: producers (queues, wake-ups) and the request path (rate limits,
  // /readyz, change notices) fail fast while Redis is down; the subscriber waits for it.
  const redis = connectFailFast(redisUrl);
  const requestRedis = connectFailFast(redisUrl, REQUEST_REDIS_TIMEOUT_MS);
  const sub: Redis = connectRedis(redisUrl);
  for (const conn of [redis, requestRedis, sub]) conn.on('error', () => undefined); // outages are logged below
  const connected = Promise.all([whenReady(redis), whenReady(requestRedis)]);
  if (!(await bounded(connected, 2_000))) log.warn({ redis: redactUrl(redisUrl) }, 'waiting for Redis to accept connections');
  await connected;
  await assertNoEviction(redis);
  let stopped = false;
  let redisDown = false;
  redis.on('close', () => {
    if (stopped || redisDown) return;
    redisDown = true;
    log.warn('lost the connection to Redis: requests answer 503 until it is back');
  });
  redis.on('ready', () => (redisDown = false));

  const database = await openDatabase(config);
  const transport = new BullTransport(redis, config.queuePrefix, log);
  const tls = config.tls
    ? await loadOrCreateTls({
        dataDir: config.dataDir,
        publicHost: new URL(config.publicUrl).hostname,
        certFile: config.tlsCertFile,
        keyFile: config.tlsKeyFile,
        log,
      })
    : undefined;
  const deps = buildDeps({
    config,
    database,
    clock,
    log,
    queue: transport,
    rateLimiter: redisRateLimiter(requestRedis, config.queuePrefix),
    caCert: tls?.caCert,
    // Pub/sub tells every process of a revocation at once; the staleness bound is the backstop.
    revocations: { maxStalenessMs: 1000, announce: announceRevocation(redis, config.queuePrefix) },
    clientAddress: (c) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress,
    wakeups: 'background',
  });
  const { store, keys } = deps;
  await deps.revokedKeys.catchUp();
  const revocations = followRevocations(deps.revokedKeys, redis, config.queuePrefix, log);
  const feed = redisChangeFeed(store, requestRedis, sub, config.queuePrefix);
  const { generatedKey } = await ensureAdminKey(database, config.adminKey, clock.now());
  await keys.signingKey();

  const serviceMetrics = new ServiceMetrics({
    database,
    queues: [transport.reconcileQueue, transport.heavyReconcileQueue, transport.operationsQueue, transport.billingQueue],
  });
  const app = buildHttpApp(deps, {
    feed,
    renderMetrics: renderFamilies,
    consoleAssets: loadConsoleAssets(),
    middleware: [serviceMetrics.httpMiddleware()],
    routers: [serviceMetrics.router()],
    readiness: { redis: () => requestRedis.ping() },
    acceptWebSocket: nodeWebSocketAcceptor,
  });

  // Operations whose job was lost (e.g. a crash between commit and enqueue, or accepted while Redis
  // was down) are picked up again at start and whenever Redis comes back.
  const unfinishedOperations = async () =>
    (
      await database.db
        .select({ id: operations.id })
        .from(operations)
        .where(inArray(operations.status, ['PENDING', 'RUNNING']))
        .all()
    ).map((r) => r.id);
  if (workersHere) {
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
    await transport.resumeOperations(unfinishedOperations);
    log.info('kates workers running');
  }
  resumeAfterRedisOutages({ redis, transport, database, log, wakeClusters: workersHere, unfinishedOperations });
  const workerProcess =
    role === 'all' && opts.workerProcess
      ? superviseWorkerProcess({
          entry: opts.workerProcess.entry,
          env: { ...opts.workerProcess.env, REDIS_URL: redisUrl, DATABASE_PATH: config.databasePath },
          nice: config.workerNice,
          log,
        })
      : undefined;

  let server: Server | undefined;
  let url: string | undefined;
  if (role !== 'worker' && opts.listen !== false) {
    const listener = getRequestListener(app.fetch);
    server = tls ? (createHttpsServer({ key: tls.key, cert: tls.cert }, listener) as unknown as Server) : createHttpServer(listener);
    serveUpgrades(server, app.fetch, log);
    await new Promise<void>((resolve) => server!.listen(config.port, config.host, resolve));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    log.info({ url, role, workers: workersHere ? 'this process' : workerProcess ? 'worker process' : 'none' }, 'kates API listening');
  }

  return {
    deps,
    app,
    server,
    url,
    redisUrl,
    generatedAdminKey: generatedKey,
    transport,
    workerProcess,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Stop taking requests and jobs, let in-flight ones finish, then close connections. Every step
      // is bounded so a dead Redis cannot keep the process from ending (a SIGTERM ends it within 10 s).
      const draining = server
        ? new Promise<void>((resolve) => {
            server!.close(() => resolve());
            server!.closeIdleConnections?.();
            // Watches never end by themselves.
            setTimeout(() => server!.closeAllConnections?.(), 4_000).unref();
          })
        : undefined;
      // The worker process finishes its passes meanwhile, and must be gone before a private Redis stops.
      const workerProcessStopped = workerProcess?.stop(6_000);
      await Promise.all([draining && bounded(draining, 5_000), transport.stopWorkers(4_000)]);
      await transport.close();
      await bounded(feed.close(), 500);
      await bounded(revocations.close(), 500);
      sub.disconnect();
      for (const conn of [redis, requestRedis]) {
        await bounded(conn.quit(), 500);
        conn.disconnect();
      }
      await database.close();
      await workerProcessStopped;
      await localRedis?.stop();
    },
  };
}

/** PostgreSQL when `DATABASE_URL` names one (any number of machines share it), else the SQLite file. */
async function openDatabase(config: Config) {
  if (!config.databaseUrl) return openSqlite(config.databasePath);
  const database = openPostgres(config.databaseUrl);
  await database.ready;
  return database;
}

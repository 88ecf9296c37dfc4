import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { inArray } from 'drizzle-orm';
import type { Logger } from '../lib/logger.ts';
import type { WorkQueue } from '../queue/port.ts';
import type { Controller } from '../controllers/runtime.ts';
import { runControllerPass, type PassDeps } from '../queue/runner.ts';
import { runOperation, failOperation } from '../services/operations/run.ts';
import { clusters } from '../store/schema/index.ts';
import { randomString } from '../lib/ids.ts';
import { runBillingCycle } from '../billing/cycle.ts';
import { sweepIdempotencyKeys } from '../services/housekeeping/idempotency-keys.ts';
import { redisCall } from './redis.ts';
import { bounded } from './bounded.ts';

/** How many times an operation may lose its worker (crash, kill) before it is marked FAILED. */
const OPERATION_MAX_STALLS = 5;

/** How long a pass may hold its (cluster, controller) lock before another worker may take over. */
const PASS_LOCK_MS = 15_000;

/**
 * Passes that read more objects than this on average mark their cluster as heavy. Objects read, not
 * milliseconds: a small cluster's pass takes long too when a big one keeps the process busy, and
 * must not be judged heavy for it.
 */
const HEAVY_PASS_OBJECTS = 400;

/**
 * Fair sharing between tenants. Heavy clusters' passes go to their own queue, whose workers take a
 * quarter of the slots, in priority order (heavier = later); light clusters' passes go to the main
 * queue with every slot. A churning tenant then can neither push a small cluster's passes behind its
 * backlog nor fill every slot of a worker with its own passes.
 */
function fairness(avgObjectsRead: number): { heavy: boolean; priority?: number } {
  return avgObjectsRead > HEAVY_PASS_OBJECTS ? { heavy: true, priority: Math.min(2_000_000, Math.ceil(avgObjectsRead / 10)) } : { heavy: false };
}

/** How long a heavy pass may wait for this worker's light passes to finish before it starts anyway. */
const HEAVY_YIELD_MAX_MS = 250;

/**
 * A pass begins in one round trip (a busy process waits for each one behind everything else it
 * does): clear `pending` so new writes enqueue again, take the lock, clear `dirty`. 0: someone else
 * holds the lock, and will see our mark when it ends.
 */
const BEGIN_PASS = `redis.call('del', KEYS[1])
if not redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
redis.call('del', KEYS[3])
return 1`;

/** Ends a pass in one round trip: release our lock (only ours) and tell whether writes came meanwhile. */
const END_PASS = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return redis.call('exists', KEYS[2])`;

export const QUEUES = { reconcile: 'reconcile', reconcileHeavy: 'reconcile-heavy', operations: 'operations', tick: 'tick', billing: 'billing' } as const;

interface ReconcileJob {
  clusterId: string;
  controller: string;
}

/**
 * BullMQ transport for the control plane.
 *
 * Coalescing keeps client-go's workqueue promises on top of BullMQ: a `pending` key admits at most one
 * waiting job per (cluster, controller); a `dirty` key records writes that arrive while a pass runs, and
 * the pass re-enqueues itself when it finds the mark set again; a `lock` key makes passes of one
 * (cluster, controller) mutually exclusive across all worker processes. Timers use delayed jobs, kept
 * to one outstanding (the earliest) per key.
 *
 * `redis` is a fail-fast connection (see connectFailFast): producers fail at once while Redis is
 * down; workers get their own connection that waits for Redis to come back.
 */
export class BullTransport implements WorkQueue {
  readonly reconcileQueue: Queue;
  readonly heavyReconcileQueue: Queue;
  readonly operationsQueue: Queue;
  readonly tickQueue: Queue;
  readonly billingQueue: Queue;
  /** This process' workers (service metrics observe their jobs). */
  readonly workers: Worker[] = [];
  private workerConnection?: Redis;
  private controllerNames: string[] = [];
  private periodic?: { tickMs: number; billingMs: number };
  private costs = new Map<string, number>();
  private batch = new Map<string, ReconcileJob>();
  private flushing?: Promise<void>;
  private closed = false;
  private stoppingWorkers?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    const opts = { connection: redis, prefix };
    this.reconcileQueue = new Queue(QUEUES.reconcile, opts);
    this.heavyReconcileQueue = new Queue(QUEUES.reconcileHeavy, opts);
    this.operationsQueue = new Queue(QUEUES.operations, opts);
    this.tickQueue = new Queue(QUEUES.tick, opts);
    this.billingQueue = new Queue(QUEUES.billing, opts);
    // Connection errors surface as failed calls (503 upstream) and the runtime logs the outage once.
    for (const q of [this.reconcileQueue, this.heavyReconcileQueue, this.operationsQueue, this.tickQueue, this.billingQueue]) q.on('error', () => undefined);
  }

  private key(kind: string, clusterId: string, controller: string) {
    return `${this.prefix}:${kind}:${clusterId}:${controller}`;
  }

  async enqueueOperation(operationId: string): Promise<void> {
    await redisCall(() =>
      this.operationsQueue.add('operation', { operationId }, {
        jobId: `op-${operationId}`,
        attempts: 8,
        backoff: { type: 'exponential', delay: 200 },
        removeOnComplete: true,
        removeOnFail: 1000,
      }),
    );
  }

  async enqueueReconcile(clusterId: string, controller: string, delayMs = 0): Promise<void> {
    if (delayMs > 0) return this.enqueueTimer(clusterId, controller, delayMs);
    this.batch.set(`${clusterId}/${controller}`, { clusterId, controller });
    // Writes arrive in bursts: gather them for one Redis round trip.
    this.flushing ??= new Promise<void>((r) => setTimeout(r, 2)).then(() => this.flush());
    return this.flushing;
  }

  /**
   * Fire-and-forget wake-up for callers that cannot wait (commit hooks, timers): a failed enqueue is
   * logged rather than left as an unhandled rejection, and wake-ups after close are dropped.
   */
  wake(clusterId: string, controller: string, delayMs = 0): void {
    if (this.closed) return;
    this.enqueueReconcile(clusterId, controller, delayMs).catch((err: Error) => {
      if (!this.closed) this.log.error({ clusterId, controller, err: err.message }, 'could not enqueue a reconcile pass');
    });
  }

  private async flush(): Promise<void> {
    const items = [...this.batch.values()];
    this.batch.clear();
    this.flushing = undefined;
    if (!items.length) return;
    const clusterIds = [...new Set(items.map((it) => it.clusterId))];
    const pipe = this.redis.pipeline();
    for (const it of items) {
      pipe.set(this.key('dirty', it.clusterId, it.controller), '1');
      pipe.set(this.key('pending', it.clusterId, it.controller), '1', 'NX');
    }
    for (const id of clusterIds) pipe.get(`${this.prefix}:cost:${id}`);
    const replies = (await pipe.exec()) ?? [];
    const cost = new Map(clusterIds.map((id, i) => [id, Number(replies[items.length * 2 + i]?.[1] ?? 0)]));
    const toAdd = items.filter((_, i) => replies[i * 2 + 1]?.[1] === 'OK');
    type Bulk = Parameters<Queue['addBulk']>[0];
    const light: Bulk = [];
    const heavy: Bulk = [];
    for (const it of toAdd) {
      const { heavy: isHeavy, priority } = fairness(cost.get(it.clusterId) ?? 0);
      const job = { name: it.controller, data: it, opts: { removeOnComplete: true, removeOnFail: 100, attempts: 3, backoff: { type: 'exponential', delay: 100 }, priority } };
      (isHeavy ? heavy : light).push(job);
    }
    if (light.length) await this.reconcileQueue.addBulk(light);
    if (heavy.length) await this.heavyReconcileQueue.addBulk(heavy);
  }

  private queueFor(clusterId: string): Queue {
    return fairness(this.costs.get(clusterId) ?? 0).heavy ? this.heavyReconcileQueue : this.reconcileQueue;
  }

  /** Remembers how many objects this cluster's passes read (moving average), for `fairness` on later enqueues. */
  private recordCost(clusterId: string, objectsRead: number): void {
    const avg = 0.7 * (this.costs.get(clusterId) ?? objectsRead) + 0.3 * objectsRead;
    this.costs.set(clusterId, avg);
    if (this.costs.size > 10_000) this.costs.clear();
    void this.redis.set(`${this.prefix}:cost:${clusterId}`, String(Math.round(avg)), 'PX', 60_000).catch(() => undefined);
  }

  private async enqueueTimer(clusterId: string, controller: string, delayMs: number): Promise<void> {
    const due = Date.now() + delayMs;
    const timerKey = this.key('timer', clusterId, controller);
    const existing = Number(await this.redis.get(timerKey));
    if (existing && existing > Date.now() && existing <= due) return;
    await this.redis.set(timerKey, String(due), 'PX', delayMs + 60_000);
    await this.queueFor(clusterId).add(controller, { clusterId, controller }, { delay: delayMs, jobId: `t-${clusterId}-${controller}-${due}`, removeOnComplete: true, removeOnFail: 100 });
  }

  /** Starts the workers of this process: reconcile passes, operations and the global tick. */
  startWorkers(deps: PassDeps & { controllers: Controller[]; concurrency: number; tickMs: number; billingMs: number; jobLockMs?: number; now(): number }): void {
    const byName = new Map(deps.controllers.map((c) => [c.name, c]));
    this.controllerNames = deps.controllers.map((c) => c.name);
    // Workers wait for Redis to come back rather than fail: no offline-queue or command limits here.
    const connection = (this.workerConnection = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined }));
    connection.on('error', () => undefined); // the request-path connection reports outages
    const runPass = async (job: Job<ReconcileJob>) => {
      const { clusterId, controller } = job.data;
      const ctl = byName.get(controller);
      if (!ctl) return;
      const lockKey = this.key('lock', clusterId, controller);
      const dirtyKey = this.key('dirty', clusterId, controller);
      const token = randomString(12);
      // Passes are bounded to about a second; a worker that dies mid-pass blocks this (cluster,
      // controller) only until the lock expires. The holder re-checks `dirty` when done.
      const began = await this.redis.eval(BEGIN_PASS, 3, this.key('pending', clusterId, controller), lockKey, dirtyKey, token, PASS_LOCK_MS);
      if (began !== 1) return;
      let outcome;
      let dirty = 0;
      try {
        const readBefore = deps.store.objectsRead(clusterId);
        outcome = await runControllerPass(deps, ctl, clusterId);
        this.recordCost(clusterId, deps.store.objectsRead(clusterId) - readBefore);
      } finally {
        dirty = Number(await this.redis.eval(END_PASS, 2, lockKey, dirtyKey, token));
      }
      if (outcome.skipped) return;
      if (outcome.result.more || dirty) await this.enqueueReconcile(clusterId, controller);
      if (outcome.requeueAfterRealMs !== undefined) await this.enqueueReconcile(clusterId, controller, outcome.requeueAfterRealMs);
    };
    // Light passes own the event loop first: while any runs here, heavy passes wait to start (briefly,
    // so a stream of light work cannot starve a big tenant), and light ones never wait for heavy ones.
    let lightRunning = 0;
    const runLight = async (job: Job<ReconcileJob>) => {
      lightRunning++;
      try {
        await runPass(job);
      } finally {
        lightRunning--;
      }
    };
    const runHeavy = async (job: Job<ReconcileJob>) => {
      for (let waited = 0; lightRunning > 0 && waited < HEAVY_YIELD_MAX_MS; waited += 5) await new Promise((r) => setTimeout(r, 5));
      await runPass(job);
    };
    const reconcile = new Worker<ReconcileJob>(QUEUES.reconcile, runLight, { connection, prefix: this.prefix, concurrency: deps.concurrency });
    const reconcileHeavy = new Worker<ReconcileJob>(QUEUES.reconcileHeavy, runHeavy, { connection, prefix: this.prefix, concurrency: Math.max(1, Math.ceil(deps.concurrency / 4)) });
    for (const w of [reconcile, reconcileHeavy]) w.on('failed', (job, err) => this.log.warn({ job: job?.name, data: job?.data, err: err.message, stack: err.stack }, 'reconcile pass failed'));

    const opDeps = { database: deps.database, store: deps.store, log: deps.log, now: deps.now };
    const ops = new Worker<{ operationId: string }>(
      QUEUES.operations,
      async (job) => {
        try {
          await runOperation(opDeps, job.data.operationId);
        } catch (err) {
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await failOperation(opDeps, job.data.operationId, String(err));
          throw err;
        }
      },
      // A crashed worker's operation is handed to another one once its lock lapses, up to OPERATION_MAX_STALLS times.
      {
        connection,
        prefix: this.prefix,
        concurrency: 4,
        maxStalledCount: OPERATION_MAX_STALLS,
        ...(deps.jobLockMs ? { lockDuration: deps.jobLockMs, stalledInterval: deps.jobLockMs } : {}),
      },
    );
    ops.on('failed', (job, err) => {
      this.log.warn({ operationId: job?.data.operationId, err: err.message }, 'operation attempt failed');
      // BullMQ fails a job that stalled too often without calling the processor: record it in SQL too.
      if (job && job.stalledCounter > OPERATION_MAX_STALLS)
        failOperation(opDeps, job.data.operationId, `its worker stopped ${job.stalledCounter} times while running it`).catch((err: Error) =>
          this.log.error({ operationId: job.data.operationId, err: err.message }, 'could not record a failed operation'),
        );
    });

    const periodic = deps.controllers.filter((c) => c.periodic);
    const tick = new Worker(
      QUEUES.tick,
      async () => {
        const live = await deps.database.db.select({ id: clusters.id }).from(clusters).where(inArray(clusters.status, ['RUNNING', 'UPDATING'])).all();
        // Every call returns the same batch promise, which is awaited (and so handled) below.
        for (const c of live) for (const ctl of periodic) void this.enqueueReconcile(c.id, ctl.name);
        await this.flushing;
      },
      { connection, prefix: this.prefix, concurrency: 1 },
    );
    // Hourly rating, budgets and alert webhooks, and expiring old Idempotency-Keys: all idempotent, so
    // one global schedule is enough.
    const billing = new Worker(
      QUEUES.billing,
      async () => {
        await sweepIdempotencyKeys(deps.database, deps.now());
        const result = await runBillingCycle({ database: deps.database, nowMs: deps.now() });
        if (result.rating.more) await this.billingQueue.add('billing', {}, { removeOnComplete: true, removeOnFail: 10 });
      },
      { connection, prefix: this.prefix, concurrency: 1 },
    );
    billing.on('failed', (_job, err) => this.log.warn({ err: err.message }, 'billing cycle failed'));
    this.workers.push(reconcile, reconcileHeavy, ops, tick, billing);
    // Lost connections are logged once by the runtime; BullMQ reconnects workers by itself.
    for (const w of this.workers) w.on('error', () => undefined);
    this.periodic = { tickMs: deps.tickMs, billingMs: deps.billingMs };
    this.schedulePeriodic();
  }

  private schedulePeriodic(): void {
    if (!this.periodic) return;
    this.tickQueue
      .upsertJobScheduler('tick', { every: this.periodic.tickMs }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: 10 } })
      .catch((err: Error) => this.log.error({ err: err.message }, 'could not schedule the tick'));
    this.billingQueue
      .upsertJobScheduler('billing', { every: this.periodic.billingMs }, { name: 'billing', opts: { removeOnComplete: true, removeOnFail: 10 } })
      .catch((err: Error) => this.log.error({ err: err.message }, 'could not schedule billing'));
  }

  /**
   * After Redis was lost and came back, maybe without part of its data (a server restarted without
   * persistence, or the last second of an append-only file): schedule the periodic jobs again and
   * wake every controller of the live clusters, clearing `pending` and `timer` marks whose jobs may be gone, so
   * no wake-up lost in the outage leaves a cluster stuck. A pass that finds nothing to do is cheap.
   */
  async rewakeAll(liveClusterIds: string[]): Promise<void> {
    this.schedulePeriodic();
    const CHUNK = 200;
    for (let i = 0; i < liveClusterIds.length; i += CHUNK) {
      const ids = liveClusterIds.slice(i, i + CHUNK);
      const pipe = this.redis.pipeline();
      // A `timer` mark whose delayed job is gone would hold back the timers the passes set again.
      for (const id of ids) for (const name of this.controllerNames) pipe.del(this.key('pending', id, name), this.key('timer', id, name));
      await pipe.exec();
      for (const id of ids) for (const name of this.controllerNames) void this.enqueueReconcile(id, name);
      await this.flushing;
    }
  }

  /**
   * Re-enqueues operations left PENDING/RUNNING (e.g. the process died before the job was added). A
   * job already finished in Redis would swallow the re-add (same job id), so it is replaced.
   */
  async resumeOperations(list: () => Promise<string[]>): Promise<void> {
    for (const id of await list()) {
      const job = await this.operationsQueue.getJob(`op-${id}`);
      if (job && ((await job.isFailed()) || (await job.isCompleted()))) await job.remove();
      await this.enqueueOperation(id);
    }
  }

  /**
   * Stops taking jobs and lets running ones finish, for at most `graceMs` (Redis may be gone): jobs
   * still running then are abandoned, and their locks lapse so another worker takes them over.
   */
  stopWorkers(graceMs = 4_000): Promise<void> {
    this.stoppingWorkers ??= (async () => {
      if (!(await bounded(Promise.all(this.workers.map((w) => w.close())), graceMs))) {
        this.log.warn('jobs still running at shutdown: leaving them to another worker');
        for (const w of this.workers) void w.close(true).catch(() => undefined);
      }
    })();
    return this.stoppingWorkers;
  }

  /** Stops the workers, sends the last wake-ups and closes the queues; every step bounded. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopWorkers();
    // Passes finishing during the close may have queued a batch of wake-ups: send it before Redis goes.
    await bounded(this.flushing ?? Promise.resolve(), 1_000);
    await bounded(Promise.all([this.reconcileQueue.close(), this.heavyReconcileQueue.close(), this.operationsQueue.close(), this.tickQueue.close(), this.billingQueue.close()]), 1_000);
    this.workerConnection?.disconnect();
  }
}


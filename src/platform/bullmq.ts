import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { eq, inArray } from 'drizzle-orm';
import type { Logger } from '../lib/logger.ts';
import type { WorkQueue } from '../queue/port.ts';
import type { Controller } from '../controllers/runtime.ts';
import type { PassDeps } from '../queue/runner.ts';
import { PASS_LOCK_MS, SAME_TIMER_MS, runPassProtocol, type Delivery, type PassMarks } from '../queue/pass-protocol.ts';
import { runOperation, failOperation, type OperationDeps } from '../services/operations/run.ts';
import { clusters } from '../store/schema/index.ts';
import { runBillingCycle } from '../billing/cycle.ts';
import { sweepIdempotencyKeys } from '../services/housekeeping/idempotency-keys.ts';
import { redisCall } from './redis.ts';
import { bounded } from './bounded.ts';
import { chunk } from '../lib/chunk.ts';

/** How many times an operation may lose its worker (crash, kill) before it is marked FAILED. */
const OPERATION_MAX_STALLS = 5;

/** How often a process checks that Redis still holds the timers (the marker key), in real ms. */
const TIMERS_CHECK_MS = 60_000;

/**
 * Passes that read more objects than this on average mark their cluster as heavy. Objects read, not
 * milliseconds: a small cluster's pass takes long too when a big one keeps the process busy, and
 * must not be judged heavy for it.
 */
const HEAVY_PASS_OBJECTS = 400;

/**
 * A tenant whose passes read more objects than this per second (over the last ~10 s, all its clusters
 * together) has all its clusters' passes treated as heavy: many small clusters churning at once must
 * not queue ahead of another tenant's passes any more than one big cluster may.
 */
const BUSY_TENANT_OBJECTS_PER_S = 5_000;
const TENANT_WINDOW_MS = 10_000;

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
 * A wake-up of a key whose last pass here ended less than this long ago waits out the rest before
 * it begins. During a burst of writes (a thousand creates) a controller would otherwise run pass
 * after pass, each paying its fixed cost (marks, cluster row, catching its caches up) for a few
 * changes; this way one pass takes what arrived meanwhile. A key idle for longer runs at once.
 */
const BURST_COALESCE_MS = 40;

/**
 * A pass begins in one round trip (a busy process waits for each one behind everything else it
 * does). A timer delivery (ARGV[3] its due time) whose slot holds another due time is stale: 2. A
 * wake-up clears `pending` so new writes enqueue again. Then take the lock (0: someone else holds
 * it, and will see our mark when it ends), free the timer slot that came due, clear `dirty`.
 */
const BEGIN_PASS = `if ARGV[3] ~= '' then
  local armed = redis.call('get', KEYS[4])
  if armed and string.match(armed, '^[^|]+') ~= ARGV[3] then return 2 end
else
  redis.call('del', KEYS[1])
end
local locked = redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX')
if ARGV[3] ~= '' then redis.call('del', KEYS[4]) end
if not locked then return 0 end
redis.call('del', KEYS[3])
return 1`;

/** Ends a pass in one round trip: release our lock (only ours) and tell whether writes came meanwhile. */
const END_PASS = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return redis.call('exists', KEYS[2])`;

export const QUEUES = { reconcile: 'reconcile', reconcileHeavy: 'reconcile-heavy', operations: 'operations', billing: 'billing' } as const;
/** The global tick of earlier versions: its job scheduler is removed at start. */
const LEGACY_TICK_QUEUE = 'tick';

interface ReconcileJob {
  clusterId: string;
  controller: string;
  /** Set on timer jobs: the real due time the key's timer slot held when it was armed. */
  due?: number;
}

/**
 * BullMQ transport for the control plane.
 *
 * Coalescing keeps client-go's workqueue promises on top of BullMQ: a `pending` key admits at most one
 * waiting job per (cluster, controller); a `dirty` key records writes that arrive while a pass runs, and
 * the pass re-enqueues itself when it finds the mark set again; a `lock` key makes passes of one
 * (cluster, controller) mutually exclusive across all worker processes; a `timer` key holds the due
 * time of the key's one delayed job (the contract is `PassMarks`, src/queue/pass-protocol.ts). There
 * is no periodic fan-out: an idle cluster has no job at all.
 *
 * `redis` is a fail-fast connection (see connectFailFast): producers fail at once while Redis is
 * down; workers get their own connection that waits for Redis to come back.
 */
export class BullTransport implements WorkQueue, PassMarks {
  readonly reconcileQueue: Queue;
  readonly heavyReconcileQueue: Queue;
  readonly operationsQueue: Queue;
  readonly billingQueue: Queue;
  /** This process' workers (service metrics observe their jobs). */
  readonly workers: Worker[] = [];
  private workerConnection?: Redis;
  private controllerNames: string[] = [];
  private scheduleBilling?: () => Promise<unknown>;
  private costs = new Map<string, number>();
  private tenantOf = new Map<string, string>();
  /** Objects read by each tenant's passes here, decayed over TENANT_WINDOW_MS. */
  private tenantLoad = new Map<string, { objects: number; at: number }>();
  private batch = new Map<string, ReconcileJob>();
  private flushing?: Promise<void>;
  private closed = false;
  private stoppingWorkers?: Promise<void>;
  /** Set once close() has sent the last batch: later wake-ups have no Redis to go to. */
  private gone = false;
  private timersCheck?: ReturnType<typeof setInterval>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    const opts = { connection: redis, prefix };
    this.reconcileQueue = new Queue(QUEUES.reconcile, opts);
    this.heavyReconcileQueue = new Queue(QUEUES.reconcileHeavy, opts);
    this.operationsQueue = new Queue(QUEUES.operations, opts);
    this.billingQueue = new Queue(QUEUES.billing, opts);
    // Connection errors surface as failed calls (503 upstream) and the runtime logs the outage once.
    for (const q of [this.reconcileQueue, this.heavyReconcileQueue, this.operationsQueue, this.billingQueue]) q.on('error', () => undefined);
  }

  private key(kind: string, clusterId: string, controller: string) {
    return `${this.prefix}:${kind}:${clusterId}:${controller}`;
  }

  async enqueueOperation(operationId: string): Promise<void> {
    await redisCall(() =>
      this.operationsQueue.add(
        'operation',
        { operationId },
        {
          jobId: `op-${operationId}`,
          attempts: 8,
          backoff: { type: 'exponential', delay: 200 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      ),
    );
  }

  async enqueueReconcile(clusterId: string, controller: string, delayMs = 0): Promise<void> {
    if (this.gone) return;
    if (delayMs > 0) return this.enqueueTimer(clusterId, controller, delayMs);
    this.batch.set(`${clusterId}/${controller}`, { clusterId, controller });
    // Writes arrive in bursts: gather them for one Redis round trip.
    this.flushing ??= new Promise<void>((r) => setTimeout(r, 2)).then(() => this.flush());
    return this.flushing;
  }

  wake(clusterId: string, controller: string): Promise<void> {
    return this.enqueueReconcile(clusterId, controller);
  }

  /**
   * Fire-and-forget wake-up for callers that cannot wait (timers, triggers): a failed enqueue is
   * logged rather than left as an unhandled rejection, and wake-ups after close are dropped.
   */
  wakeInBackground(clusterId: string, controller: string, delayMs = 0): void {
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
      const job = {
        name: it.controller,
        data: it,
        opts: { removeOnComplete: true, removeOnFail: 100, attempts: 3, backoff: { type: 'exponential', delay: 100 }, priority },
      };
      (isHeavy ? heavy : light).push(job);
    }
    if (light.length) await this.reconcileQueue.addBulk(light);
    if (heavy.length) await this.heavyReconcileQueue.addBulk(heavy);
  }

  private queueFor(clusterId: string): Queue {
    return fairness(this.weight(clusterId)).heavy ? this.heavyReconcileQueue : this.reconcileQueue;
  }

  /** What `fairness` judges a cluster by: its passes' objects read, at least heavy when its tenant is busy. */
  private weight(clusterId: string): number {
    const avg = this.costs.get(clusterId) ?? 0;
    const tenant = this.tenantOf.get(clusterId);
    const load = tenant ? this.tenantLoad.get(tenant) : undefined;
    const perSecond = load ? (load.objects * Math.exp(-(Date.now() - load.at) / TENANT_WINDOW_MS) * 1000) / TENANT_WINDOW_MS : 0;
    return perSecond > BUSY_TENANT_OBJECTS_PER_S ? Math.max(avg, HEAVY_PASS_OBJECTS + 1) : avg;
  }

  /**
   * Remembers how many objects this cluster's passes read (moving average) and its tenant's passes
   * read lately, for `fairness` on later enqueues (in Redis, so every process enqueues alike).
   */
  private recordCost(clusterId: string, tenantId: string | undefined, objectsRead: number): void {
    const avg = 0.7 * (this.costs.get(clusterId) ?? objectsRead) + 0.3 * objectsRead;
    this.costs.set(clusterId, avg);
    if (this.costs.size > 10_000) this.costs.clear();
    if (tenantId) {
      const now = Date.now();
      const load = this.tenantLoad.get(tenantId);
      this.tenantLoad.set(tenantId, { objects: (load ? load.objects * Math.exp(-(now - load.at) / TENANT_WINDOW_MS) : 0) + objectsRead, at: now });
      if (this.tenantLoad.size > 10_000) this.tenantLoad.clear();
    }
    void this.redis.set(`${this.prefix}:cost:${clusterId}`, String(Math.round(this.weight(clusterId))), 'PX', 60_000).catch(() => undefined);
  }

  /** The cluster's tenant (it never changes), read once per cluster. */
  private async tenantOfCluster(database: PassDeps['database'], clusterId: string): Promise<string | undefined> {
    let tenant = this.tenantOf.get(clusterId);
    if (tenant === undefined) {
      tenant = (await database.db.select({ tenantId: clusters.tenantId }).from(clusters).where(eq(clusters.id, clusterId)).get())?.tenantId;
      if (tenant === undefined) return undefined;
      if (this.tenantOf.size > 10_000) this.tenantOf.clear();
      this.tenantOf.set(clusterId, tenant);
    }
    return tenant;
  }

  /** The key's timer slot: `<due>|<queue name>` of its one delayed job. */
  private async armedTimer(clusterId: string, controller: string): Promise<{ due: number; queue: string } | undefined> {
    const raw = await this.redis.get(this.key('timer', clusterId, controller));
    if (!raw) return undefined;
    const [due, queue] = raw.split('|');
    return { due: Number(due), queue };
  }

  private async dropTimerJob(clusterId: string, controller: string, armed: { due: number; queue: string }): Promise<void> {
    const queue = armed.queue === QUEUES.reconcileHeavy ? this.heavyReconcileQueue : this.reconcileQueue;
    // A job already running (or gone) is not removed; it finds its slot changed and runs nothing.
    await queue.remove(`t-${clusterId}-${controller}-${armed.due}`).catch(() => 0);
  }

  private async armTimer(clusterId: string, controller: string, due: number): Promise<void> {
    const queue = this.queueFor(clusterId);
    const delay = Math.max(0, due - Date.now());
    // The slot outlives its job, so a late job still finds its own due time there.
    await this.redis.set(this.key('timer', clusterId, controller), `${due}|${queue.name}`, 'PX', delay + 3_600_000);
    await queue.add(
      controller,
      { clusterId, controller, due },
      {
        delay,
        jobId: `t-${clusterId}-${controller}-${due}`,
        removeOnComplete: true,
        removeOnFail: 100,
        attempts: 3,
        backoff: { type: 'exponential', delay: 100 },
      },
    );
  }

  /** `PassMarks.setTimer`: the key's one timer moves to `afterMs` from now, or goes. */
  async setTimer(clusterId: string, controller: string, afterMs: number | undefined): Promise<void> {
    const due = afterMs === undefined ? undefined : Date.now() + afterMs;
    const armed = await this.armedTimer(clusterId, controller);
    if (armed && due !== undefined && Math.abs(armed.due - due) <= SAME_TIMER_MS) return;
    if (armed) await this.dropTimerJob(clusterId, controller, armed);
    if (due === undefined) {
      if (armed) await this.redis.del(this.key('timer', clusterId, controller));
      return;
    }
    await this.armTimer(clusterId, controller, due);
  }

  /** A timer asked for from outside a pass: armed unless an earlier one is. */
  private async enqueueTimer(clusterId: string, controller: string, delayMs: number): Promise<void> {
    const due = Date.now() + delayMs;
    const armed = await this.armedTimer(clusterId, controller);
    if (armed && armed.due > Date.now() && armed.due <= due) return;
    if (armed) await this.dropTimerJob(clusterId, controller, armed);
    await this.armTimer(clusterId, controller, due);
  }

  async begin(clusterId: string, controller: string, token: string, delivery: Delivery): Promise<'begun' | 'locked' | 'stale'> {
    const due = delivery.wake ? '' : String(delivery.timerDues[0] ?? '');
    const keys = [
      this.key('pending', clusterId, controller),
      this.key('lock', clusterId, controller),
      this.key('dirty', clusterId, controller),
      this.key('timer', clusterId, controller),
    ];
    const began = Number(await this.redis.eval(BEGIN_PASS, 4, ...keys, token, PASS_LOCK_MS, due));
    return began === 1 ? 'begun' : began === 2 ? 'stale' : 'locked';
  }

  async end(clusterId: string, controller: string, token: string): Promise<boolean> {
    return Number(await this.redis.eval(END_PASS, 2, this.key('lock', clusterId, controller), this.key('dirty', clusterId, controller), token)) === 1;
  }

  /**
   * Timers live in Redis only. A marker key is set once every running cluster has had a pass since
   * this Redis began; when it is missing (a new or emptied Redis: the delayed jobs are gone too),
   * every controller of every running cluster is woken, and re-arms its own timer. A Redis that
   * kept its data (AOF) keeps its timers, so a restart costs one read.
   */
  async ensureTimers(liveClusters: () => Promise<string[]>): Promise<number> {
    if (await this.redis.exists(`${this.prefix}:timers-armed`)) return 0;
    const ids = await liveClusters();
    // An empty Redis has no stale marks to clear.
    await this.wakeClusters(ids);
    if (ids.length) this.log.info({ clusters: ids.length }, 'Redis held no timers: woke every controller of the running clusters');
    return ids.length;
  }

  /** Starts the workers of this process: reconcile passes, operations and billing. */
  startWorkers(
    deps: PassDeps & { controllers: Controller[]; concurrency: number; billingMs: number; jobLockMs?: number; now(): number; operationDeps?: OperationDeps },
  ): void {
    const byName = new Map(deps.controllers.map((c) => [c.name, c]));
    this.controllerNames = deps.controllers.map((c) => c.name);
    // Workers wait for Redis to come back rather than fail: no offline-queue or command limits here.
    const connection = (this.workerConnection = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined }));
    connection.on('error', () => undefined); // the request-path connection reports outages
    // When each key's last pass here ended (for BURST_COALESCE_MS); bounded like the other per-cluster maps.
    const lastPassEnd = new Map<string, number>();
    const runPass = async (job: Job<ReconcileJob>) => {
      const { clusterId, controller, due } = job.data;
      const ctl = byName.get(controller);
      if (!ctl) return;
      const delivery: Delivery = due === undefined ? { wake: true, timerDues: [] } : { wake: false, timerDues: [due] };
      const key = `${clusterId}/${controller}`;
      const wait = (lastPassEnd.get(key) ?? -Infinity) + BURST_COALESCE_MS - Date.now();
      if (delivery.wake && wait > 0) await new Promise((r) => setTimeout(r, wait));
      const readBefore = deps.store.objectsRead(clusterId);
      const run = await runPassProtocol(this, deps, ctl, clusterId, delivery);
      if (run.status !== 'ran') return;
      lastPassEnd.delete(key); // most recent last, so the first is the oldest
      lastPassEnd.set(key, Date.now());
      if (lastPassEnd.size > 10_000) lastPassEnd.delete(lastPassEnd.keys().next().value!);
      const read = deps.store.objectsRead(clusterId) - readBefore;
      this.recordCost(clusterId, await this.tenantOfCluster(deps.database, clusterId), read);
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
    const reconcileHeavy = new Worker<ReconcileJob>(QUEUES.reconcileHeavy, runHeavy, {
      connection,
      prefix: this.prefix,
      concurrency: Math.max(1, Math.ceil(deps.concurrency / 4)),
    });
    for (const w of [reconcile, reconcileHeavy])
      w.on('failed', (job, err) => this.log.warn({ job: job?.name, data: job?.data, err: err.message, stack: err.stack }, 'reconcile pass failed'));

    const opDeps: OperationDeps = deps.operationDeps ?? { database: deps.database, store: deps.store, log: deps.log, now: deps.now };
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

    // Earlier versions' global tick: its scheduler would keep adding jobs nobody takes.
    const legacyTick = new Queue(LEGACY_TICK_QUEUE, { connection: this.redis, prefix: this.prefix });
    void legacyTick
      .removeJobScheduler('tick')
      .then(() => legacyTick.drain(true))
      .catch(() => undefined)
      .finally(() => legacyTick.close());
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
    const scheduleBilling = () =>
      this.billingQueue
        .upsertJobScheduler('billing', { every: deps.billingMs }, { name: 'billing', opts: { removeOnComplete: true, removeOnFail: 10 } })
        .catch((err: Error) => this.log.error({ err: err.message }, 'could not schedule billing'));
    this.scheduleBilling = scheduleBilling;
    void scheduleBilling();
    this.workers.push(reconcile, reconcileHeavy, ops, billing);
    // Lost connections are logged once by the runtime; BullMQ reconnects workers by itself.
    for (const w of this.workers) w.on('error', () => undefined);

    // Timers lost with Redis's data are re-armed at start and, if Redis is emptied while running, within a minute.
    const liveClusters = async () =>
      (
        await deps.database.db
          .select({ id: clusters.id })
          .from(clusters)
          .where(inArray(clusters.status, ['RUNNING', 'UPDATING']))
          .all()
      ).map((c) => c.id);
    const checkTimers = () =>
      this.ensureTimers(liveClusters).catch((err: Error) => {
        if (!this.closed) this.log.warn({ err: err.message }, 'could not check the timers');
      });
    void checkTimers();
    this.timersCheck = setInterval(checkTimers, TIMERS_CHECK_MS);
    this.timersCheck.unref?.();
  }

  /**
   * After Redis was lost and came back, maybe without part of its data (a server restarted without
   * persistence, the last second of an append-only file, wake-ups that failed meanwhile): clear the
   * `pending` and `timer` marks of the live clusters, whose jobs may be gone (a stale `timer` mark
   * would hold back the timers the passes set again), then wake them all.
   */
  async rewakeAll(liveClusterIds: string[]): Promise<void> {
    for (const ids of chunk(liveClusterIds, 200)) {
      const pipe = this.redis.pipeline();
      for (const id of ids) for (const name of this.controllerNames) pipe.del(this.key('pending', id, name), this.key('timer', id, name));
      await pipe.exec();
    }
    await this.wakeClusters(liveClusterIds);
  }

  /** One pass of every controller of these clusters (each re-arms its own timer); billing is scheduled again. */
  private async wakeClusters(liveClusterIds: string[]): Promise<void> {
    void this.scheduleBilling?.();
    for (const ids of chunk(liveClusterIds, 200)) {
      for (const id of ids) for (const name of this.controllerNames) void this.enqueueReconcile(id, name);
      await this.flushing;
    }
    await this.redis.set(`${this.prefix}:timers-armed`, String(Date.now()));
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
    if (this.timersCheck) clearInterval(this.timersCheck);
    await this.stopWorkers();
    // Passes finishing during the close may have queued a batch of wake-ups: send it before Redis goes.
    await bounded(this.flushing ?? Promise.resolve(), 1_000);
    this.gone = true;
    await bounded(Promise.all([this.reconcileQueue.close(), this.heavyReconcileQueue.close(), this.operationsQueue.close(), this.billingQueue.close()]), 1_000);
    this.workerConnection?.disconnect();
  }
}

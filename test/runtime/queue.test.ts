import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { ObjectStore } from '../../src/store/objects.ts';
import { clusters, operations, reconcileMarks } from '../../src/store/schema/index.ts';
import type { Controller, ReconcileResult } from '../../src/controllers/runtime.ts';
import type { Queue, Message, MessageBatch } from '../../src/platform/workers/bindings.ts';
import { CloudflareWorkQueue } from '../../src/platform/workers/queue.ts';
import { runReconcileMessage } from '../../src/platform/workers/reconcile-pass.ts';
import { ensureTimersArmed, resumeStalledOperations } from '../../src/platform/workers/periodic.ts';
import { consumeBatch, OPERATION_ATTEMPTS, type ConsumerDeps } from '../../src/platform/workers/consumer.ts';
import type { WorkMessage } from '../../src/platform/workers/messages.ts';
import { consoleLogger } from '../../src/platform/workers/logger.ts';
import { addClusterRow, ManualClock } from '../helpers/store.ts';
import { startLocalD1 } from './local-d1.ts';

let d1: Awaited<ReturnType<typeof startLocalD1>>;
before(async () => {
  d1 = await startLocalD1();
});
after(() => d1.dispose());

/** A Queue binding that records what is sent. */
function recordingQueue() {
  const sent: Array<{ body: WorkMessage; delaySeconds: number }> = [];
  const queue: Queue<WorkMessage> = {
    async send(body, options) {
      sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? 0 });
    },
  };
  return { queue, sent };
}

/** A controller whose passes the test steers: `during` runs inside the pass. */
function scriptedController(name: string) {
  const c = {
    name,
    watches: ['configmaps'],
    passes: 0,
    during: undefined as undefined | (() => Promise<void>),
    result: {} as ReconcileResult,
    async reconcile() {
      c.passes++;
      await c.during?.();
      return c.result;
    },
  };
  return c;
}

function consumerDeps(controllers: Controller[], queue: Queue<WorkMessage>): ConsumerDeps & { transport: CloudflareWorkQueue } {
  const log = consoleLogger('silent');
  const clock = new ManualClock();
  const store = new ObjectStore(d1.database, clock);
  const transport = new CloudflareWorkQueue(d1.database, queue, log);
  return {
    transport,
    database: d1.database,
    store,
    clock,
    log,
    queue: transport,
    controllers,
    controllerByName: new Map(controllers.map((c) => [c.name, c])),
    trigger: () => undefined,
    operationDeps: { database: d1.database, store, log, now: () => Date.now() },
  };
}

const reconciles = (sent: Array<{ body: WorkMessage }>) => sent.filter((s) => s.body.kind === 'reconcile');

test('wake-ups coalesce: one message per (cluster, controller) until a pass picks it up', async () => {
  const { queue, sent } = recordingQueue();
  const ctl = scriptedController('coalesce');
  const deps = consumerDeps([ctl], queue);
  await addClusterRow(d1.database, 'cls_q1', Date.now());
  await Promise.all(Array.from({ length: 20 }, () => deps.transport.enqueueReconcile('cls_q1', 'coalesce')));
  await deps.transport.enqueueReconcile('cls_q1', 'coalesce');
  await deps.transport.enqueueReconcile('cls_q1', 'other');
  assert.deepEqual(
    reconciles(sent).map((s) => s.body),
    [
      { kind: 'reconcile', clusterId: 'cls_q1', controller: 'coalesce' },
      { kind: 'reconcile', clusterId: 'cls_q1', controller: 'other' },
    ],
  );

  assert.equal(await runReconcileMessage(deps, 'cls_q1', 'coalesce'), 'ran');
  assert.equal(ctl.passes, 1);
  assert.equal(reconciles(sent).length, 2, 'a clean pass asks for nothing more');
  await deps.transport.enqueueReconcile('cls_q1', 'coalesce');
  assert.equal(reconciles(sent).length, 3, 'after the pass took the message, the next write sends again');
});

test('a write during a pass marks it dirty and the pass runs again; a message that finds the lock held just ends', async () => {
  const { queue, sent } = recordingQueue();
  const ctl = scriptedController('dirty');
  const deps = consumerDeps([ctl], queue);
  await addClusterRow(d1.database, 'cls_q2', Date.now());
  await deps.transport.enqueueReconcile('cls_q2', 'dirty');
  let concurrent: string | undefined;
  ctl.during = async () => {
    ctl.during = undefined;
    await deps.transport.enqueueReconcile('cls_q2', 'dirty');
    concurrent = await runReconcileMessage(deps, 'cls_q2', 'dirty');
  };
  assert.equal(await runReconcileMessage(deps, 'cls_q2', 'dirty'), 'ran');
  assert.equal(concurrent, 'locked');
  assert.equal(ctl.passes, 1, 'passes of one key never overlap');
  assert.equal(reconciles(sent).length, 3, 'first wake-up, the write during the pass, and the re-run for the dirty mark');
  const mark = await d1.database.db.select().from(reconcileMarks).where(eq(reconcileMarks.clusterId, 'cls_q2')).get();
  assert.equal(mark?.lockToken, null, 'the lock is released');
});

test('more and requeueAfterMs come back as a delayed message and an immediate one; only the earliest timer is kept', async () => {
  const { queue, sent } = recordingQueue();
  const ctl = scriptedController('timers');
  const deps = consumerDeps([ctl], queue);
  await addClusterRow(d1.database, 'cls_q3', Date.now(), 10);
  ctl.result = { more: true, requeueAfterMs: 30_000 };
  await runReconcileMessage(deps, 'cls_q3', 'timers');
  assert.deepEqual(
    sent.map((s) => s.delaySeconds),
    [3, 0],
    'the timer is armed while the pass holds its lock; then more: at once. 30 s of cluster time at 10× is 3 s',
  );
  await deps.transport.enqueueReconcile('cls_q3', 'timers', 10_000);
  assert.equal(sent.length, 2, 'a later timer is dropped while an earlier one is outstanding');
  await deps.transport.enqueueReconcile('cls_q3', 'timers', 1_200);
  const last = sent.at(-1)!;
  assert.equal(last.delaySeconds, 2, 'an earlier one is sent, rounded up to whole seconds');
  assert.deepEqual({ ...last.body, timerDue: undefined }, { kind: 'reconcile', clusterId: 'cls_q3', controller: 'timers', timerDue: undefined });
  assert.equal(typeof (last.body as { timerDue?: number }).timerDue, 'number');
});

test('a delivered timer frees its slot, so the pass can set the next timer even before the due time reads as past', async () => {
  const { queue, sent } = recordingQueue();
  const ctl = scriptedController('kubelet-like');
  const deps = consumerDeps([ctl], queue);
  await addClusterRow(d1.database, 'cls_q5', Date.now());
  await deps.transport.enqueueReconcile('cls_q5', 'kubelet-like', 5_000);
  const timer = sent.at(-1)!.body as { timerDue: number };
  ctl.result = { requeueAfterMs: 5_000 };
  const batch = (body: WorkMessage) => ({
    queue: 'kates-work',
    messages: [{ id: 'm', timestamp: new Date(), body, attempts: 1, ack() {}, retry() {} }],
    ackAll() {},
    retryAll() {},
  });
  // Delivered while the clock still reads before the due time (a Worker's clock moves only with I/O).
  await consumeBatch(deps, batch({ kind: 'reconcile', clusterId: 'cls_q5', controller: 'kubelet-like', timerDue: timer.timerDue }));
  assert.equal(ctl.passes, 1);
  assert.equal(sent.length, 2, 'the follow-up timer was sent');
  assert.equal(sent[1].delaySeconds, 5);

  // Two copies of one key in a batch: one pass, and both timer slots freed.
  const again = sent[1].body as { timerDue: number };
  const twice: MessageBatch<unknown> = {
    queue: 'kates-work',
    messages: [
      { id: 'a', timestamp: new Date(), body: { kind: 'reconcile', clusterId: 'cls_q5', controller: 'kubelet-like' }, attempts: 1, ack() {}, retry() {} },
      {
        id: 'b',
        timestamp: new Date(),
        body: { kind: 'reconcile', clusterId: 'cls_q5', controller: 'kubelet-like', timerDue: again.timerDue },
        attempts: 1,
        ack() {},
        retry() {},
      },
    ],
    ackAll() {},
    retryAll() {},
  };
  await consumeBatch(deps, twice);
  assert.equal(ctl.passes, 2);
  assert.equal(sent.length, 3, 'the timer carried by the second copy was freed for the next one');
});

test('a pass over a cluster that is not running is skipped without follow-ups', async () => {
  const { queue, sent } = recordingQueue();
  const ctl = scriptedController('skip');
  const deps = consumerDeps([ctl], queue);
  await addClusterRow(d1.database, 'cls_q4', Date.now());
  await d1.database.db.update(clusters).set({ status: 'DELETING' }).where(eq(clusters.id, 'cls_q4')).run();
  ctl.result = { more: true };
  await deps.transport.enqueueReconcile('cls_q4', 'skip');
  await runReconcileMessage(deps, 'cls_q4', 'skip');
  assert.equal(ctl.passes, 0);
  assert.equal(sent.length, 1);
  assert.equal(await runReconcileMessage(deps, 'cls_q4', 'no-such-controller'), 'unknown');
});

test("one timer per key: the newest pass's answer replaces it, a replaced timer runs nothing, and no answer disarms it", async () => {
  const { queue, sent } = recordingQueue();
  const ctl = scriptedController('timer-slot');
  const deps = consumerDeps([ctl], queue);
  await addClusterRow(d1.database, 'cls_q6', Date.now());
  const timers = () => sent.filter((s) => s.body.kind === 'reconcile' && s.body.timerDue !== undefined).map((s) => s.body as { timerDue: number });
  const slot = async () => (await d1.database.db.select().from(reconcileMarks).where(eq(reconcileMarks.clusterId, 'cls_q6')).get())?.timerDue ?? null;

  ctl.result = { requeueAfterMs: 60_000 };
  await runReconcileMessage(deps, 'cls_q6', 'timer-slot');
  assert.equal(timers().length, 1);
  const first = timers()[0].timerDue;
  assert.equal(await slot(), first);

  ctl.result = { requeueAfterMs: 120_000 };
  await runReconcileMessage(deps, 'cls_q6', 'timer-slot');
  assert.equal(timers().length, 2, 'a later due time replaces the earlier one');
  const second = timers()[1].timerDue;
  assert.equal(await slot(), second);
  assert.equal(await runReconcileMessage(deps, 'cls_q6', 'timer-slot', { wake: false, timerDues: [first] }), 'stale', 'the replaced timer runs no pass');
  assert.equal(ctl.passes, 2);

  ctl.result = {};
  await runReconcileMessage(deps, 'cls_q6', 'timer-slot', { wake: false, timerDues: [second] });
  assert.equal(ctl.passes, 3);
  assert.equal(await slot(), null, 'nothing due: no timer');
  assert.equal(timers().length, 2);
});

test('timers left unarmed by the periodic tick of earlier versions: every controller of every running cluster is woken once', async () => {
  const { queue, sent } = recordingQueue();
  const deps = consumerDeps([scriptedController('a'), scriptedController('b')], queue);
  await addClusterRow(d1.database, 'cls_arm', Date.now());
  const woken = await ensureTimersArmed(deps);
  assert.ok(woken >= 1);
  assert.ok(sent.some((s) => s.body.kind === 'reconcile' && s.body.clusterId === 'cls_arm' && s.body.controller === 'a'));
  assert.ok(sent.some((s) => s.body.kind === 'reconcile' && s.body.clusterId === 'cls_arm' && s.body.controller === 'b'));
  const count = sent.length;
  assert.equal(await ensureTimersArmed(deps), 0, 'once only');
  assert.equal(sent.length, count);
});

test('operations: retried with back-off, marked FAILED after the last attempt; stalled ones are re-sent', async () => {
  const { queue, sent } = recordingQueue();
  const deps = consumerDeps([], queue);
  const now = Date.now();
  // An operation whose cluster row is missing fails every attempt.
  await d1.database.db
    .insert(operations)
    .values({ id: 'op_broken', tenantId: 't', clusterId: 'cls_none', type: 'CREATE_CLUSTER', status: 'PENDING', createdAt: now - 120_000 })
    .run();
  const outcomes: string[] = [];
  const message = (attempts: number): Message<unknown> => ({
    id: `m${attempts}`,
    timestamp: new Date(),
    body: { kind: 'operation', operationId: 'op_broken' },
    attempts,
    ack: () => outcomes.push(`ack@${attempts}`),
    retry: (o) => outcomes.push(`retry@${attempts}+${o?.delaySeconds}s`),
  });
  const batch = (m: Message<unknown>): MessageBatch<unknown> => ({ queue: 'kates-work', messages: [m], ackAll() {}, retryAll() {} });

  assert.equal(await resumeStalledOperations(deps), 1);
  assert.deepEqual(sent.at(-1)?.body, { kind: 'operation', operationId: 'op_broken' });
  await consumeBatch(deps, batch(message(1)));
  await consumeBatch(deps, batch(message(3)));
  await consumeBatch(deps, batch(message(OPERATION_ATTEMPTS)));
  assert.deepEqual(outcomes, ['retry@1+1s', 'retry@3+4s', `ack@${OPERATION_ATTEMPTS}`]);
  const op = await d1.database.db.select().from(operations).where(eq(operations.id, 'op_broken')).get();
  assert.equal(op?.status, 'FAILED');

  const junk: string[] = [];
  await consumeBatch(deps, {
    queue: 'kates-work',
    messages: [{ ...message(1), body: { kind: 'nonsense' }, ack: () => junk.push('ack') }],
    ackAll() {},
    retryAll() {},
  });
  assert.deepEqual(junk, ['ack'], 'a message of unknown shape is dropped, not retried forever');
});

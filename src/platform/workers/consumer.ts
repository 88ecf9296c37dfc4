import { runOperation, failOperation, type OperationDeps } from '../../services/operations/run.ts';
import { runBillingCycle } from '../../billing/cycle.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Message, MessageBatch } from './bindings.ts';
import { isWorkMessage, type WorkMessage } from './messages.ts';
import { runReconcileMessage, type ReconcileMessageDeps } from './reconcile-pass.ts';
import type { PeriodicDeps } from './periodic.ts';
import type { Delivery } from '../../queue/pass-protocol.ts';
import { delaySecondsFor } from './messages.ts';

/** Attempts of an operation before it is marked FAILED (the BullMQ transport allows 8 too). */
export const OPERATION_ATTEMPTS = 8;
/** A reconcile pass that throws is retried this many times; the next write or clock change wakes it anyway. */
const RECONCILE_ATTEMPTS = 3;
/** A timer message arriving this much before its due time was capped at the 12 h delay (not merely a Worker clock behind). */
const EARLY_TIMER_MS = 60_000;

export interface ConsumerDeps extends ReconcileMessageDeps, PeriodicDeps {
  database: ReconcileMessageDeps['database'];
  log: Logger;
  operationDeps: OperationDeps;
}

/** Exponential back-off in whole seconds (Queues' unit): 1, 2, 4... capped at a minute. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1));
}

/**
 * The queue consumer: runs each message of a batch concurrently, acking or retrying it on its own,
 * so one failing pass does not redeliver the others. Copies of one reconcile key in a batch run once.
 */
export async function consumeBatch(base: ConsumerDeps, batch: MessageBatch<unknown>): Promise<void> {
  // What passes trigger is awaited before the batch ends (the invocation's I/O ends with it).
  const triggered: Promise<void>[] = [];
  const deps: ConsumerDeps = {
    ...base,
    trigger: (clusterId, controller, afterMs) => {
      triggered.push(
        base.queue
          .enqueueReconcile(clusterId, controller, afterMs)
          .catch((err) => base.log.warn({ clusterId, controller, err: String(err) }, 'trigger failed')),
      );
    },
  };
  // Copies of one reconcile key run as one pass, which frees the timer slots of all of them.
  const firstOfKey = new Map<string, Message<unknown>>();
  const deliveries = new Map<Message<unknown>, Delivery>();
  const nowMs = Date.now();
  for (const msg of batch.messages) {
    if (!isWorkMessage(msg.body) || msg.body.kind !== 'reconcile') continue;
    const key = `${msg.body.clusterId}/${msg.body.controller}`;
    const first = firstOfKey.get(key) ?? msg;
    firstOfKey.set(key, first);
    const delivery = deliveries.get(first) ?? { wake: false, timerDues: [] };
    deliveries.set(first, delivery);
    if (msg.body.timerDue === undefined) delivery.wake = true;
    else delivery.timerDues.push(msg.body.timerDue);
  }
  await Promise.all(
    batch.messages.map(async (msg) => {
      if (!isWorkMessage(msg.body)) {
        deps.log.warn({ id: msg.id }, 'dropping a message of unknown shape');
        msg.ack();
        return;
      }
      const body = msg.body;
      if (body.kind === 'reconcile' && !deliveries.has(msg)) return msg.ack();
      try {
        const delivery = deliveries.get(msg);
        // Queues delay at most 12 h: a timer due later arrives hours early and is sent on again, without a pass.
        if (body.kind === 'reconcile' && delivery && !delivery.wake && delivery.timerDues.every((due) => due > nowMs + EARLY_TIMER_MS)) {
          const due = Math.min(...delivery.timerDues);
          await deps.queue.send({ ...body, timerDue: due }, delaySecondsFor(due - nowMs));
        } else {
          await handle(deps, body, delivery);
        }
        msg.ack();
      } catch (err) {
        await onFailure(deps, body, msg, err);
      }
    }),
  );
  while (triggered.length) await Promise.all(triggered.splice(0));
}

async function handle(deps: ConsumerDeps, body: WorkMessage, delivery: Delivery | undefined): Promise<void> {
  switch (body.kind) {
    case 'reconcile':
      await runReconcileMessage(deps, body.clusterId, body.controller, delivery);
      return;
    case 'operation':
      await runOperation(deps.operationDeps, body.operationId);
      return;
    case 'billing': {
      const result = await runBillingCycle({ database: deps.database, nowMs: Date.now() });
      if (result.rating.more) await deps.queue.send({ kind: 'billing' });
      return;
    }
  }
}

async function onFailure(deps: ConsumerDeps, body: WorkMessage, msg: Message<unknown>, err: unknown): Promise<void> {
  const error = err instanceof Error ? err.message : String(err);
  if (body.kind === 'operation') {
    if (msg.attempts >= OPERATION_ATTEMPTS) {
      await failOperation(deps.operationDeps, body.operationId, error).catch((e) => deps.log.error({ err: String(e) }, 'could not mark the operation FAILED'));
      deps.log.warn({ operationId: body.operationId, err: error }, 'operation failed after its last attempt');
      msg.ack();
      return;
    }
    deps.log.warn({ operationId: body.operationId, attempt: msg.attempts, err: error }, 'operation attempt failed');
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    return;
  }
  deps.log.warn({ message: body, attempt: msg.attempts, err: error, stack: err instanceof Error ? err.stack : undefined }, `${body.kind} message failed`);
  if (body.kind === 'reconcile' && msg.attempts >= RECONCILE_ATTEMPTS) msg.ack();
  else msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
}

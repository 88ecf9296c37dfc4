import { sql } from 'drizzle-orm';
import type { Logger } from '../../lib/logger.ts';
import type { WorkQueue } from '../../queue/port.ts';
import type { Database } from '../../store/db.ts';
import { reconcileMarks } from '../../store/schema/index.ts';
import type { Queue } from './bindings.ts';
import type { D1Drizzle } from './d1.ts';
import { delaySecondsFor, type WorkMessage } from './messages.ts';

/** A pending mark older than this is taken as a lost message and a new one is sent (a duplicate pass is harmless). */
export const STALE_PENDING_MS = 60_000;
/** Four bound values per row; D1 allows 100 per statement. */
const ROWS_PER_STATEMENT = 20;
/** Cloudflare Queues' sendBatch takes at most 100 messages. */
const MESSAGES_PER_SEND = 100;

interface Target {
  clusterId: string;
  controller: string;
}

/**
 * The work-queue port on Cloudflare Queues, with the BullMQ transport's coalescing kept in D1
 * (`reconcile_marks`) rather than KV: KV is eventually consistent (a write can take a minute to be
 * seen elsewhere), which would lose or multiply wake-ups, while D1 answers every isolate from one
 * primary. A wake-up sets `dirty` and, when no message is waiting (`pending_at` empty or stale),
 * claims `pending_at` and sends one; the upsert's RETURNING tells which writer won.
 *
 * Every caller awaits what it enqueues: workerd cancels I/O an invocation leaves behind, and a promise
 * started by one invocation must not be awaited by another (it may never settle there). So commits
 * wake controllers through an awaited after-commit hook, and no send is fire-and-forget.
 */
export class CloudflareWorkQueue implements WorkQueue {
  private batch = new Map<string, Target>();
  private flushing?: Promise<void>;

  constructor(
    private readonly database: Database & { d1: D1Drizzle },
    private readonly queue: Queue<WorkMessage>,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  enqueueOperation(operationId: string): Promise<void> {
    return this.queue.send({ kind: 'operation', operationId });
  }

  /** Sends a message as is (ticks, billing continuations, operation retries). */
  send(message: WorkMessage, delaySeconds = 0): Promise<void> {
    return this.queue.send(message, delaySeconds > 0 ? { delaySeconds } : undefined);
  }

  enqueueReconcile(clusterId: string, controller: string, delayMs = 0): Promise<void> {
    if (delayMs > 0) return this.enqueueTimer(clusterId, controller, delayMs);
    this.batch.set(`${clusterId}/${controller}`, { clusterId, controller });
    // The wake-ups of one commit arrive together: one D1 batch and one send for all of them. The flush
    // runs as a microtask, so it only ever gathers calls of the same invocation.
    this.flushing ??= Promise.resolve().then(() => this.flush());
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const items = [...this.batch.values()];
    this.batch.clear();
    this.flushing = undefined;
    if (!items.length) return;
    const { db, d1 } = this.database;
    const now = this.now();
    const statements = [];
    for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) {
      const rows = items.slice(i, i + ROWS_PER_STATEMENT).map((t) => ({ ...t, pendingAt: now, dirty: 1 }));
      statements.push(
        db
          .insert(reconcileMarks)
          .values(rows)
          .onConflictDoUpdate({
            target: [reconcileMarks.clusterId, reconcileMarks.controller],
            set: {
              dirty: 1,
              pendingAt: sql`CASE WHEN ${reconcileMarks.pendingAt} IS NULL OR ${reconcileMarks.pendingAt} < ${now - STALE_PENDING_MS} THEN excluded.pending_at ELSE ${reconcileMarks.pendingAt} END`,
            },
          })
          .returning({ clusterId: reconcileMarks.clusterId, controller: reconcileMarks.controller, pendingAt: reconcileMarks.pendingAt }),
      );
    }
    const results = (await d1.batch(statements)) as Array<Array<Target & { pendingAt: number | null }>>;
    // Only rows whose pending mark is the one just written need a message; the others have one waiting.
    const toSend = results.flat().filter((r) => r.pendingAt === now);
    for (let i = 0; i < toSend.length; i += MESSAGES_PER_SEND) {
      const chunk = toSend.slice(i, i + MESSAGES_PER_SEND);
      await this.queue.sendBatch(chunk.map((t) => ({ body: { kind: 'reconcile', clusterId: t.clusterId, controller: t.controller } as WorkMessage })));
    }
    if (toSend.length) this.log.debug({ woken: items.length, sent: toSend.length }, 'reconcile wake-ups');
  }

  /** A delayed pass; at most one outstanding per key, the earliest, like the BullMQ timers. */
  private async enqueueTimer(clusterId: string, controller: string, delayMs: number): Promise<void> {
    const delaySeconds = Math.max(1, delaySecondsFor(delayMs));
    const now = this.now();
    const due = now + delaySeconds * 1000;
    const claimed = await this.database.db
      .insert(reconcileMarks)
      .values({ clusterId, controller, timerDue: due })
      .onConflictDoUpdate({
        target: [reconcileMarks.clusterId, reconcileMarks.controller],
        set: { timerDue: due },
        setWhere: sql`${reconcileMarks.timerDue} IS NULL OR ${reconcileMarks.timerDue} <= ${now} OR ${reconcileMarks.timerDue} > ${due}`,
      })
      .returning({ timerDue: reconcileMarks.timerDue })
      .all();
    if (!claimed.length) return;
    await this.queue.send({ kind: 'reconcile', clusterId, controller, timerDue: due }, { delaySeconds });
  }
}

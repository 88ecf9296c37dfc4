import type { KubeObject } from '../../kube/types.ts';
import type { EventType } from '../../kube/events.ts';
import { StoreError } from '../../store/errors.ts';
import type { WriteOp } from '../../store/objects.ts';
import type { ReconcileContext, ReconcileResult } from '../runtime.ts';
import { eventSpamFilter } from './event-spam-filter.ts';

/**
 * Writes one pass may make before it yields to other tenants (the ReplicaSet controller's
 * burstReplicas). Every controller spends from this one budget through `Pass`.
 */
export const MAX_WRITES_PER_PASS = 500;

/** Ops per commit when a pass writes in batches: one round trip instead of one per object. */
const COMMIT_CHUNK = 100;

/**
 * The bookkeeping of one reconcile pass: a write budget, races with other writers turned into
 * "run again" rather than failures, the earliest timer any object needs, and best-effort Events.
 */
export class Pass {
  readonly nowMs: number;
  private writes = 0;
  private raced = false;
  private wakeAtMs: number | undefined;

  constructor(
    readonly ctx: ReconcileContext,
    /** The Event source, e.g. `deployment-controller`. */
    readonly component: string,
    readonly maxWrites = MAX_WRITES_PER_PASS,
  ) {
    this.nowMs = ctx.now();
  }

  get store() {
    return this.ctx.store;
  }

  get clusterId() {
    return this.ctx.clusterId;
  }

  get budgetLeft(): number {
    return Math.max(0, this.maxWrites - this.writes);
  }

  get exhausted(): boolean {
    return this.writes >= this.maxWrites;
  }

  spend(n = 1): void {
    this.writes += n;
  }

  /** Marks that state moved under this pass; the pass ends with `more` so a fresh one converges. */
  markRaced(): void {
    this.raced = true;
  }

  get hasRaced(): boolean {
    return this.raced;
  }

  /**
   * Runs a write. A Conflict, NotFound or AlreadyExists means another writer got there first: the
   * pass carries on with other objects and asks to run again. Other errors propagate (the runtime
   * retries with back-off).
   */
  async attempt<T>(write: () => Promise<T>, cost = 1): Promise<T | undefined> {
    this.spend(cost);
    try {
      return await write();
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Forbidden') {
        // A bound of the plan: running again right away would only be refused again.
        this.ctx.log.debug({ err: err.message, controller: this.component }, 'write refused');
        return undefined;
      }
      if (err instanceof StoreError && err.reason !== 'Gone') {
        this.ctx.log.debug({ err: err.message, controller: this.component }, 'write raced; will run again');
        this.raced = true;
        return undefined;
      }
      throw err;
    }
  }

  /**
   * Writes many independent ops in a few batched commits, each op guarded by the version the pass
   * read. A batch that races is retried one op at a time; the losers come back undefined (the pass
   * then runs again) and the rest are kept. Each op costs one write.
   */
  async commit(ops: WriteOp[], chunkSize = COMMIT_CHUNK): Promise<Array<KubeObject | undefined>> {
    const results: Array<KubeObject | undefined> = new Array(ops.length);
    for (let i = 0; i < ops.length; i += chunkSize) {
      const chunk = ops.slice(i, i + chunkSize);
      const racedBefore = this.raced;
      const written = await this.attempt(() => this.store.commit(this.clusterId, chunk), chunk.length);
      if (written) {
        written.forEach((o, k) => (results[i + k] = o));
        continue;
      }
      this.raced = racedBefore; // only the ops that lose on their own count as races
      for (let k = 0; k < chunk.length; k++) results[i + k] = (await this.attempt(() => this.store.commit(this.clusterId, [chunk[k]]), 0))?.[0];
    }
    return results;
  }

  /** Asks for a pass at this cluster-clock time (the earliest request wins). */
  wakeAt(ms: number): void {
    if (this.wakeAtMs === undefined || ms < this.wakeAtMs) this.wakeAtMs = ms;
  }

  /**
   * Events are best effort, as client-go's recorder is: rate limited per involved object (see
   * EventSpamFilter), and a failure to record never fails the pass. `component` is the source when
   * a controller speaks for a helper of its own (a provisioner, the resizer).
   */
  async event(involved: KubeObject, type: EventType, reason: string, message: string, component = this.component): Promise<void> {
    // Keyed by reason too: a burst of SuccessfulCreate must not hide the FailedCreate that stops it.
    const key = `${this.clusterId}/${component}/${involved.metadata.uid ?? `${involved.kind}/${involved.metadata.namespace}/${involved.metadata.name}`}/${reason}`;
    if (!eventSpamFilter.allow(key, this.nowMs)) return;
    this.spend();
    try {
      await this.ctx.events.record(involved, type, reason, message, component);
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message, reason }, 'could not record event');
    }
  }

  result(): ReconcileResult {
    const out: ReconcileResult = {};
    if (this.raced || this.exhausted) out.more = true;
    if (this.wakeAtMs !== undefined) out.requeueAfterMs = Math.max(1, this.wakeAtMs - this.nowMs);
    return out;
  }
}

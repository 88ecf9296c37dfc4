import type { Logger } from '../lib/logger.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';

/**
 * Collects the writes of a pass in groups (one pod's binding and its event, say) and commits many
 * groups per transaction. When a batch fails on a stale or vanished object, each group is retried
 * alone, so one conflicting pod does not hold back the others; its group is dropped and the pod
 * is simply retried by a later pass.
 */
export class BatchWriter {
  private pending: WriteOp[][] = [];
  private size = 0;
  committed = 0;
  dropped = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clusterId: string,
    private readonly maxOps: number,
    private readonly log?: Logger,
  ) {}

  async add(group: WriteOp[]): Promise<void> {
    if (group.length === 0) return;
    this.pending.push(group);
    this.size += group.length;
    if (this.size >= this.maxOps) await this.flush();
  }

  async flush(): Promise<void> {
    const groups = this.pending;
    this.pending = [];
    this.size = 0;
    if (groups.length === 0) return;
    try {
      await this.store.commit(this.clusterId, groups.flat());
      this.committed += groups.length;
      return;
    } catch (err) {
      if (!isStale(err) || groups.length === 1) {
        if (!isStale(err)) throw err;
        this.drop(groups[0], err);
        return;
      }
    }
    for (const g of groups) {
      try {
        await this.store.commit(this.clusterId, g);
        this.committed++;
      } catch (err) {
        if (!isStale(err)) throw err;
        this.drop(g, err);
      }
    }
  }

  private drop(group: WriteOp[], err: unknown): void {
    this.dropped++;
    this.log?.debug({ err: (err as Error).message, ops: group.length }, 'scheduler write skipped: object changed meanwhile');
  }
}

function isStale(err: unknown): boolean {
  return err instanceof StoreError && (err.reason === 'Conflict' || err.reason === 'NotFound' || err.reason === 'AlreadyExists');
}

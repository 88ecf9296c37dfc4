import { asc, gt } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { keyRevocations } from '../store/schema/index.ts';

export interface RevokedKeysOptions {
  /**
   * A check older than this since the last catch-up reads the revocation log first. On Node, Redis
   * pub/sub tells every process at once and this is only the backstop for a lost message; on
   * Workers, whose isolates share nothing, it is what bounds how long a revoked key keeps working.
   */
  maxStalenessMs: number;
  /** Tells the other processes of a revocation made here (Redis pub/sub on Node; none on Workers). */
  announce?: (apiKeyId: string) => Promise<void>;
  now?: () => number;
}

/**
 * The revoked API keys, in memory, so checking the key behind a token (access, kubeconfig or
 * namespace token alike) costs no query per request. Catching up reads only the `key_revocations`
 * rows after the last sequence number seen; revocations are never undone, so the set only grows.
 */
export class RevokedKeys {
  private readonly ids = new Set<string>();
  private readonly listeners = new Set<(apiKeyId: string) => void>();
  private lastSeq = 0;
  private caughtUpAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(
    private readonly database: Database,
    private readonly opts: RevokedKeysOptions,
  ) {
    this.now = opts.now ?? (() => Date.now());
  }

  async isRevoked(apiKeyId: string): Promise<boolean> {
    if (this.ids.has(apiKeyId)) return true;
    if (this.now() - this.caughtUpAt > this.opts.maxStalenessMs) await this.catchUp();
    return this.ids.has(apiKeyId);
  }

  /**
   * Calls `listener` with each key revoked from now on, as this process learns of it (cached token
   * verifications are dropped, open watches end with their key); returns the unsubscribe.
   */
  onRevoked(listener: (apiKeyId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(apiKeyId: string): void {
    if (this.ids.has(apiKeyId)) return;
    this.ids.add(apiKeyId);
    for (const l of this.listeners) l(apiKeyId);
  }

  /** A revocation announced by another process: effective here at once. */
  markRevoked(apiKeyId: string): void {
    this.add(apiKeyId);
  }

  /**
   * A revocation this process has just committed: effective here at once and announced to the
   * others. A lost announcement only delays them until their next catch-up, so it is not an error.
   */
  async revoked(apiKeyId: string): Promise<void> {
    this.add(apiKeyId);
    await this.opts.announce?.(apiKeyId).catch(() => undefined);
  }

  /** Reads the revocations logged since the last catch-up (all of them the first time). */
  async catchUp(): Promise<void> {
    // Stamped before the read so a burst of checks does not send a burst of reads; a failed read
    // leaves it stale so the next check tries again.
    const previous = this.caughtUpAt;
    this.caughtUpAt = this.now();
    try {
      const rows = await this.database.db
        .select({ seq: keyRevocations.seq, apiKeyId: keyRevocations.apiKeyId })
        .from(keyRevocations)
        .where(gt(keyRevocations.seq, this.lastSeq))
        .orderBy(asc(keyRevocations.seq))
        .all();
      for (const r of rows) {
        this.add(r.apiKeyId);
        this.lastSeq = Math.max(this.lastSeq, r.seq);
      }
    } catch (err) {
      this.caughtUpAt = previous;
      throw err;
    }
  }
}

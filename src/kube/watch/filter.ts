import type { KubeObject, WatchEvent, WatchEventType } from '../types.ts';

/** An object's identity across its events: its uid (namespace/name for an object without one). */
export const uidOf = (o: KubeObject): string => o.metadata.uid ?? `${o.metadata.namespace}/${o.metadata.name}`;

/**
 * Which stored events one watch sends, and as what. Events can arrive out of revision order when
 * several processes write (a worker's commit comes through Redis after this process's later one),
 * so ordering is kept per object: an event older than what was already sent for its object is
 * stale and dropped; nothing else is. After an initial list the watch knows which objects the
 * client holds, so an object whose labels move it in or out of the selector turns into ADDED or
 * DELETED, as on a filtered watch of a real API server.
 */
export class EventFilter {
  /** The newest revision seen of the cluster (any resource): what a BOOKMARK reports. */
  lastRv = 0;
  /** Revisions at or below this are already in what the client has (its list or resourceVersion). */
  private startRv = 0;
  private readonly sentRv = new Map<string, number>();
  /** The objects the client holds; null when unknown (a watch from a resourceVersion). */
  private readonly held: Set<string> | null;

  constructor(
    private readonly storage: string,
    /** Whether an object is in the watch's scope (namespace, name, label and field selectors). */
    readonly matches: (o: KubeObject) => boolean,
    knowsHeld: boolean,
  ) {
    this.held = knowsHeld ? new Set() : null;
  }

  /** The replay starts after `rv`. */
  startAfter(rv: number): void {
    this.lastRv = this.startRv = rv;
  }

  /** An object of the initial list, sent as ADDED. */
  listed(o: KubeObject): void {
    const uid = uidOf(o);
    this.held?.add(uid);
    this.sentRv.set(uid, Number(o.metadata.resourceVersion));
  }

  /** What `e` goes out as, or undefined when this watch does not send it. */
  decide(e: WatchEvent): WatchEventType | undefined {
    if (e.resourceVersion <= this.startRv) return undefined;
    if (e.resourceVersion > this.lastRv) this.lastRv = e.resourceVersion;
    if (e.resource !== this.storage) return undefined;
    const uid = uidOf(e.object);
    if ((this.sentRv.get(uid) ?? 0) >= e.resourceVersion) return undefined;
    this.sentRv.set(uid, e.resourceVersion);
    const ok = this.matches(e.object);
    const held = this.held;
    if (e.type === 'ADDED') {
      if (!ok) return undefined;
      held?.add(uid);
      return 'ADDED';
    }
    if (e.type === 'MODIFIED') {
      if (ok) {
        const fresh = held !== null && !held.has(uid);
        held?.add(uid);
        return fresh ? 'ADDED' : 'MODIFIED';
      }
      if (!held?.has(uid)) return undefined;
      held.delete(uid);
      return 'DELETED';
    }
    if (!ok && !held?.has(uid)) return undefined;
    held?.delete(uid);
    return 'DELETED';
  }

  /**
   * Whether a re-viewed object (stored at `rv`) may go out again: not when a newer event of it was
   * sent, nor when the client does not hold it. Going out, it counts as sent at `rv`.
   */
  mayResend(o: KubeObject): boolean {
    const uid = uidOf(o);
    const rv = Number(o.metadata.resourceVersion);
    return (this.sentRv.get(uid) ?? 0) <= rv && (!this.held || this.held.has(uid));
  }

  resent(o: KubeObject): void {
    this.sentRv.set(uidOf(o), Number(o.metadata.resourceVersion));
  }
}

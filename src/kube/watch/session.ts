import type { KubeObject, WatchEvent } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { gone } from '../status.ts';
import { gvString } from '../registry/types.ts';
import type { KubeRequest } from '../handlers/context.ts';
import type { EventFilter } from './filter.ts';
import type { EventEncoder } from './encoder.ts';
import type { WatchOptions } from './options.ts';
import { eventLine, type EventType } from './lines.ts';
import { armEndings } from './endings.ts';
import { startViewRefresh } from './view-refresh.ts';

/**
 * - `replaying`: subscribed to the live feed and sending the initial list or the log after the
 *   client's resourceVersion; live events are held, lines wait for the stream to open.
 * - `live`: the held events are delivered, new ones as they arrive; bookmarks and timers run.
 * - `expired`: the log was compacted past the client's revision; the stream opens only to carry
 *   the 410 ERROR event and end.
 * - `closed`: timed out, cancelled, revoked or broken; nothing more is sent.
 */
type State = 'replaying' | 'live' | 'expired' | 'closed';

/**
 * One open watch: one JSON event per line on a chunked response. It subscribes to the live feed
 * before it replays, and the filter drops what the replay already sent, so nothing is lost or
 * repeated in between.
 */
export class WatchSession {
  private state: State = 'replaying';
  /** Live events that arrived while replaying. */
  private held: WatchEvent[] = [];
  /** Lines written before the stream opened. */
  private unsent: Uint8Array[] = [];
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private readonly cleanups: Array<() => void> = [];
  /** A derived kind's deliveries, chained: each waits for a view as of its turn, in order. */
  private viewed: Promise<void> = Promise.resolve();

  constructor(
    private readonly req: KubeRequest,
    private readonly opts: WatchOptions,
    private readonly filter: EventFilter,
    private readonly encoder: EventEncoder,
  ) {
    this.cleanups.push(req.deps.feed.subscribe(req.clusterId, (events) => this.receive(events)));
  }

  /** Sends what the client is missing; a compacted revision turns the watch `expired`. */
  async replay(): Promise<void> {
    try {
      if (this.opts.fromList) await this.replayList();
      else await this.replayLog();
    } catch (e) {
      if (!(e instanceof StoreError && e.reason === 'Gone')) {
        this.close();
        throw e;
      }
      this.write(eventLine('ERROR', gone(e.message).status));
      this.state = 'expired';
    }
  }

  /** The response body: the replay's lines, then live events until the watch ends. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({ start: (c) => this.open(c), cancel: () => this.close() });
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const c of this.cleanups) c();
    try {
      this.controller?.close();
    } catch {
      /* the client went away first */
    }
  }

  private async replayList(): Promise<void> {
    const { deps, clusterId, storageDef, namespace } = this.req;
    const page = await deps.store.list(clusterId, storageDef.storage, { namespace, filter: this.filter.matches });
    for (const o of page.items) {
      this.filter.listed(o);
      this.write(this.encoder.line('ADDED', o));
    }
    this.filter.startAfter(Number(page.resourceVersion));
    if (this.opts.bookmarks && this.opts.initialEvents) this.bookmark({ 'k8s.io/initial-events-end': 'true' });
  }

  private async replayLog(): Promise<void> {
    const history = await this.req.deps.store.eventsSince(this.req.clusterId, this.opts.fromRv, this.req.storageDef.storage);
    this.filter.startAfter(this.opts.fromRv);
    for (const e of history) this.deliver(e);
  }

  private open(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
    for (const line of this.unsent) controller.enqueue(line);
    this.unsent = [];
    // Expired, the ERROR line is all there is to send; closed, a derived delivery broke off the replay.
    if (this.state === 'expired') return this.close();
    if (this.state === 'closed') return controller.close();
    this.state = 'live';
    const held = this.held;
    this.held = [];
    for (const e of held) this.deliver(e);
    if (this.opts.bookmarks) {
      const timer = setInterval(() => this.bookmark(), this.opts.bookmarkIntervalMs);
      this.cleanups.push(() => clearInterval(timer));
    }
    this.followViews();
    armEndings(this.req, this.opts.timeoutMs, () => this.close(), this.cleanups);
  }

  private receive(events: WatchEvent[]): void {
    if (this.state === 'replaying') this.held.push(...events);
    else if (this.state === 'live') for (const e of events) this.deliver(e);
  }

  private deliver(e: WatchEvent): void {
    const type = this.filter.decide(e);
    if (type) this.sendObject(type, e.object);
  }

  private sendObject(type: EventType, o: KubeObject): void {
    if (!this.encoder.derives) {
      this.write(this.encoder.line(type, o, true));
      return;
    }
    this.viewed = this.viewed
      .then(async () => {
        if (this.state === 'closed') return;
        await this.encoder.refreshView();
        this.write(this.encoder.line(type, o));
      })
      .catch(() => this.close());
  }

  private bookmark(annotations?: Record<string, string>): void {
    const def = this.req.def;
    const metadata = { resourceVersion: String(this.filter.lastRv), ...(annotations ? { annotations } : {}) };
    this.write(eventLine('BOOKMARK', { kind: def.kind, apiVersion: gvString(def), metadata }));
  }

  private write(line: Uint8Array): void {
    if (!this.controller) {
      this.unsent.push(line);
      return;
    }
    if (this.state === 'closed') return;
    try {
      this.controller.enqueue(line);
    } catch {
      this.close();
    }
  }

  /**
   * Derived fields move without a write: objects whose view changed go out again as MODIFIED, with
   * their stored resourceVersion (nothing was written), in order with the real events. A watch from
   * a resourceVersion first records what the client holds as a baseline.
   */
  private followViews(): void {
    const period = this.req.storageDef.readViewPeriodMs;
    if (!this.encoder.derives || !period) return;
    const refresh = (baselineOnly: boolean) =>
      (this.viewed = this.viewed.then(() => (this.state === 'closed' ? undefined : this.refreshViews(baselineOnly))).catch(() => undefined));
    if (!this.opts.fromList) void refresh(true);
    const { store } = this.req.deps;
    this.cleanups.push(
      startViewRefresh(
        period,
        () => store.clusterNow(this.req.clusterId),
        () => refresh(false),
      ),
    );
  }

  private async refreshViews(baselineOnly: boolean): Promise<void> {
    const { deps, clusterId, storageDef, namespace } = this.req;
    const page = await deps.store.list(clusterId, storageDef.storage, { namespace, filter: this.filter.matches });
    await this.encoder.refreshView();
    for (const o of page.items) {
      if (!this.filter.mayResend(o) || !this.encoder.moved(o, baselineOnly)) continue;
      this.filter.resent(o);
      this.write(this.encoder.line('MODIFIED', o));
    }
  }
}

import type { KubeObject } from '../types.ts';
import type { ReadView } from '../registry/types.ts';
import { gvString } from '../registry/types.ts';
import { toServed, wantsTable } from '../objects/encode.ts';
import { tableRow, type Table } from '../tables/table.ts';
import { printerOf, readViewOf } from '../handlers/read.ts';
import type { KubeRequest } from '../handlers/context.ts';
import { uidOf } from './filter.ts';
import { eventLine, sharedLine, type EventType } from './lines.ts';

/**
 * Turns stored objects into one watch's event lines: the served version or, for `kubectl get -w`, a
 * one-row Table, each as of the read view (kinds with fields served from the cluster clock, node
 * heartbeats, are viewed as of each delivery and re-sent when their view moves).
 */
export class EventEncoder {
  readonly asTable: boolean;
  /** Whether the kind has clock-derived fields. */
  readonly derives: boolean;
  /** What the client was last sent of each derived object (uid → viewed JSON). */
  private readonly served = new Map<string, string>();
  private readonly printer: ReturnType<typeof printerOf>;

  private constructor(
    private readonly req: KubeRequest,
    private view: ReadView,
    /** Cluster clock minus real clock: table rows show ages on the cluster's clock. */
    private readonly clockOffset: number,
  ) {
    this.asTable = wantsTable(req.accept);
    this.derives = Boolean(req.storageDef.readView);
    this.printer = printerOf(req);
  }

  static async of(req: KubeRequest): Promise<EventEncoder> {
    const clockOffset = (await req.deps.store.clusterNow(req.clusterId)) - Date.now();
    return new EventEncoder(req, await readViewOf(req), clockOffset);
  }

  /** Reads the view as of the cluster clock's now. */
  async refreshView(): Promise<void> {
    this.view = await readViewOf(this.req);
  }

  /**
   * The event line of a stored object. `share` lets plain stored objects use one encoded line for
   * every watch; table rows carry ages and derived fields move with the clock, so theirs are never shared.
   */
  line(type: EventType, stored: KubeObject, share = false): Uint8Array {
    if (share && !this.asTable && !this.derives) return sharedLine(stored, type, gvString(this.req.def), () => eventLine(type, this.encode(stored)));
    const line = eventLine(type, this.encode(stored));
    if (type === 'DELETED') this.served.delete(uidOf(stored));
    return line;
  }

  /**
   * Whether a derived object's view moved since the client was sent it. An object the client was
   * never sent through this watch (or any, with `baselineOnly`) only records its view as a baseline.
   */
  moved(stored: KubeObject, baselineOnly: boolean): boolean {
    const uid = uidOf(stored);
    const had = this.served.get(uid);
    const now = JSON.stringify(this.view(stored));
    if (had === now) return false;
    if (had === undefined || baselineOnly) {
      this.served.set(uid, now);
      return false;
    }
    return true;
  }

  private encode(stored: KubeObject): unknown {
    const o = this.view(stored);
    if (this.derives) this.served.set(uidOf(o), JSON.stringify(o));
    if (!this.asTable) return toServed(this.req.def, structuredClone(o));
    const table: Table = {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: o.metadata.resourceVersion },
      columnDefinitions: this.printer.columns,
      rows: [tableRow(this.printer, o, Date.now() + this.clockOffset)],
    };
    return table;
  }
}

import type { KubeObject, WatchEvent } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { failure } from '../status.ts';
import { gvString } from '../registry/types.ts';
import { toServed, TABLE_CONTENT_TYPE, wantsTable } from '../objects/encode.ts';
import { tableRow, type Table } from '../tables/table.ts';
import { parseListQuery } from './list-options.ts';
import { printerOf, readViewOf } from './read.ts';
import type { KubeRequest } from './context.ts';
import { startViewRefresh } from '../watch/view-refresh.ts';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * Encoded event lines shared by every watch of the same version: with thousands of watchers one
 * commit is serialised once per (object, event type, version), not once per watcher.
 */
const lineCache = new WeakMap<KubeObject, Map<string, Uint8Array>>();
const lineEncoder = new TextEncoder();

function sharedLine(obj: KubeObject, type: EventType, key: string, encode: () => string): Uint8Array {
  let byKey = lineCache.get(obj);
  if (!byKey) lineCache.set(obj, (byKey = new Map()));
  const k = `${type} ${key}`;
  let line = byKey.get(k);
  if (line === undefined) byKey.set(k, (line = lineEncoder.encode(encode())));
  return line;
}

const DEFAULT_BOOKMARK_MS = 60_000;
const DEFAULT_MIN_TIMEOUT_S = 1800;

function watchTimeoutMs(req: KubeRequest): number {
  const t = req.query.get('timeoutSeconds');
  if (t !== null && Number.isFinite(Number(t)) && Number(t) > 0) return Number(t) * 1000;
  // Like the API server's --min-request-timeout: spread long watches over [min, 2·min).
  const min = req.deps.watch?.minTimeoutSeconds ?? DEFAULT_MIN_TIMEOUT_S;
  return (min + Math.random() * min) * 1000;
}

/** How often a watch re-checks its key where revocations are not pushed (Workers isolates). */
const KEY_RECHECK_MS = 1_000;

/**
 * A watch ends when the API key its token was minted with is revoked: at once when this process is
 * told (Redis pub/sub on Node), else at the next re-check, which reads the revocation log when stale.
 */
function endWithKey(req: KubeRequest, close: () => void, cleanups: Array<() => void>): void {
  const apiKeyId = req.principal.apiKeyId;
  const revoked = req.deps.revokedKeys;
  if (!apiKeyId || !revoked) return;
  cleanups.push(revoked.onRevoked((id) => id === apiKeyId && close()));
  const recheck = setInterval(() => void revoked.isRevoked(apiKeyId).then((r) => r && close(), () => undefined), KEY_RECHECK_MS);
  cleanups.push(() => clearInterval(recheck));
}

/**
 * A watch: one JSON event per line on a chunked response. It subscribes to the live feed first,
 * then replays either the current state (no resourceVersion, "0", or sendInitialEvents) as ADDED
 * events or the watch log after the given resourceVersion, then forwards live events; revisions
 * at or below the last one sent are dropped, so nothing is lost or repeated in between.
 */
export async function handleWatch(req: KubeRequest): Promise<Response> {
  const { store, feed } = req.deps;
  const def = req.def;
  const storage = req.storageDef.storage;
  const q = parseListQuery(def, req.query);
  const ns = req.namespace;
  const asTable = wantsTable(req.accept);
  const printer = printerOf(req);
  const bookmarks = req.query.get('allowWatchBookmarks') === 'true';
  const initialEvents = req.query.get('sendInitialEvents') === 'true';
  const rvParam = req.query.get('resourceVersion') ?? '';
  const fromList = rvParam === '' || rvParam === '0' || initialEvents;
  const clockOffset = (await store.clusterNow(req.clusterId)) - Date.now();
  const encoder = new TextEncoder();
  // Kinds with fields served from the clock (node heartbeats) are viewed as of each delivery.
  const derives = Boolean(req.storageDef.readView);
  let view = await readViewOf(req);
  let viewed: Promise<void> = Promise.resolve();
  // What the client was last sent of each derived object (uid → viewed JSON), to re-send it when it moves.
  const served = new Map<string, string>();
  const uidOf = (o: KubeObject) => o.metadata.uid ?? `${o.metadata.namespace}/${o.metadata.name}`;

  const name = req.name;
  const matches = (o: KubeObject) => (!ns || o.metadata.namespace === ns) && (!name || o.metadata.name === name) && (!q.filter || q.filter(o));
  // Which objects the client holds, when we know (after an initial list): lets label changes
  // turn into ADDED/DELETED as for a filtered watch on a real API server.
  const known: Set<string> | null = fromList ? new Set() : null;
  let lastRv = 0;
  let buffer: WatchEvent[] | null = [];
  const pendingLines: Uint8Array[] = [];
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let closed = false;
  const cleanups: Array<() => void> = [];

  const encodeObject = (stored: KubeObject): unknown => {
    const o = view(stored);
    if (derives) served.set(uidOf(o), JSON.stringify(o));
    if (!asTable) return toServed(def, structuredClone(o));
    const table: Table = {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: o.metadata.resourceVersion },
      columnDefinitions: printer.columns,
      rows: [tableRow(printer, o, Date.now() + clockOffset)],
    };
    return table;
  };
  const close = () => {
    if (closed) return;
    closed = true;
    for (const c of cleanups) c();
    try {
      controller?.close();
    } catch {
      /* the client went away first */
    }
  };
  const send = (type: EventType, object: unknown, bytes?: Uint8Array) => {
    const line = bytes ?? encoder.encode(`${JSON.stringify({ type, object })}\n`);
    if (!controller) {
      pendingLines.push(line);
      return;
    }
    if (closed) return;
    try {
      controller.enqueue(line);
    } catch {
      close();
    }
  };
  const bookmark = (annotations?: Record<string, string>) =>
    send('BOOKMARK', { kind: def.kind, apiVersion: gvString(def), metadata: { resourceVersion: String(lastRv), ...(annotations ? { annotations } : {}) } });

  // Table rows carry ages and derived fields move with the clock, so only plain stored objects share
  // encoded lines. A derived kind's events wait for a view as of their delivery, in order.
  const sendObject = (type: EventType, o: KubeObject) => {
    if (derives) {
      viewed = viewed.then(async () => {
        if (closed) return;
        view = await readViewOf(req);
        send(type, encodeObject(o));
        if (type === 'DELETED') served.delete(uidOf(o));
      }).catch(() => close());
    } else if (asTable) send(type, encodeObject(o));
    else send(type, undefined, sharedLine(o, type, gvString(def), () => `${JSON.stringify({ type, object: encodeObject(o) })}\n`));
  };

  // Events can arrive out of revision order when several processes write (a worker's commit comes
  // through Redis after this process's later one), so ordering is kept per object: an event older
  // than what was already sent for its object is stale and dropped; nothing else is.
  let startRv = 0;
  const sentRv = new Map<string, number>();
  const deliver = (e: WatchEvent) => {
    if (e.resourceVersion <= startRv) return;
    if (e.resourceVersion > lastRv) lastRv = e.resourceVersion;
    if (e.resource !== storage) return;
    const uid = e.object.metadata.uid ?? `${e.object.metadata.namespace}/${e.object.metadata.name}`;
    if ((sentRv.get(uid) ?? 0) >= e.resourceVersion) return;
    sentRv.set(uid, e.resourceVersion);
    const ok = matches(e.object);
    if (e.type === 'ADDED') {
      if (!ok) return;
      known?.add(uid);
      sendObject('ADDED', e.object);
    } else if (e.type === 'MODIFIED') {
      if (ok) {
        const fresh = known !== null && !known.has(uid);
        known?.add(uid);
        sendObject(fresh ? 'ADDED' : 'MODIFIED', e.object);
      } else if (known?.has(uid)) {
        known.delete(uid);
        sendObject('DELETED', e.object);
      }
    } else if (ok || known?.has(uid)) {
      known?.delete(uid);
      sendObject('DELETED', e.object);
    }
  };

  // Derived fields move without a write: objects whose view changed go out again as MODIFIED, with
  // their stored resourceVersion (nothing was written), in order with the real events.
  const refreshViews = async (baselineOnly = false) => {
    const page = await store.list(req.clusterId, storage, { namespace: ns, filter: matches });
    view = await readViewOf(req);
    for (const o of page.items) {
      const uid = uidOf(o);
      const rv = Number(o.metadata.resourceVersion);
      if ((sentRv.get(uid) ?? 0) > rv || (known && !known.has(uid))) continue;
      const had = served.get(uid);
      const now = JSON.stringify(view(o));
      if (had === now) continue;
      if (had === undefined || baselineOnly) {
        served.set(uid, now); // the client's copy is unknown (a watch from a resourceVersion): a baseline
        continue;
      }
      sentRv.set(uid, rv);
      send('MODIFIED', encodeObject(o));
    }
  };

  const unsubscribe = feed.subscribe(req.clusterId, (events) => {
    if (closed) return;
    if (buffer) buffer.push(...events);
    else for (const e of events) deliver(e);
  });
  cleanups.push(unsubscribe);

  let expired = false;
  try {
    if (fromList) {
      const page = await store.list(req.clusterId, storage, { namespace: ns, filter: matches });
      for (const o of page.items) {
        known!.add(o.metadata.uid ?? '');
        sentRv.set(o.metadata.uid ?? '', Number(o.metadata.resourceVersion));
        send('ADDED', encodeObject(o));
      }
      lastRv = startRv = Number(page.resourceVersion);
      if (bookmarks && initialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else {
      const from = Number(rvParam);
      if (!Number.isInteger(from) || from < 0) throw failure(400, 'BadRequest', `resourceVersion: Invalid value: "${rvParam}": must be a non-negative integer`);
      const history = await store.eventsSince(req.clusterId, from, storage);
      lastRv = startRv = from;
      for (const e of history) deliver(e);
    }
  } catch (e) {
    if (!(e instanceof StoreError && e.reason === 'Gone')) {
      unsubscribe();
      throw e;
    }
    send('ERROR', failure(410, 'Expired', e.message).status);
    expired = true;
  }

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      for (const line of pendingLines) c.enqueue(line);
      pendingLines.length = 0;
      if (expired) {
        close();
        return;
      }
      const queued = buffer ?? [];
      buffer = null;
      for (const e of queued) deliver(e);
      if (bookmarks) {
        const timer = setInterval(() => bookmark(), req.deps.watch?.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_MS);
        cleanups.push(() => clearInterval(timer));
      }
      const period = req.storageDef.readViewPeriodMs;
      if (derives && period) {
        if (!fromList) viewed = viewed.then(() => refreshViews(true)).catch(() => undefined);
        cleanups.push(startViewRefresh(period, () => store.clusterNow(req.clusterId), () => (viewed = viewed.then(() => (closed ? undefined : refreshViews())).catch(() => undefined))));
      }
      const timeout = setTimeout(close, watchTimeoutMs(req));
      cleanups.push(() => clearTimeout(timeout));
      endWithKey(req, close, cleanups);
      const signal = req.raw.signal;
      if (signal) {
        if (signal.aborted) close();
        else signal.addEventListener('abort', close, { once: true });
      }
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': asTable ? TABLE_CONTENT_TYPE : 'application/json', 'cache-control': 'no-cache, private' } });
}

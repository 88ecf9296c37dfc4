import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp, type KubeTestApp } from './helpers/app.ts';
import type { WatchEvent } from '../../src/kube/types.ts';
import { storeChangeFeed } from '../../src/kube/watch/feed.ts';

/** Reads watch events (one JSON per line) until `count` arrived, then cancels the stream. */
async function readEvents(res: Response, count: number): Promise<any[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buf = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
  }
  await reader.cancel();
  return events;
}

const cm = (k: KubeTestApp, name: string, labels: Record<string, string> = {}) =>
  k.json('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name, labels }, data: { v: '1' } } });

test('a watch without resourceVersion starts with ADDED for what exists, then streams changes', async () => {
  const k = await kubeTestApp();
  await cm(k, 'a');
  const res = await k.call('GET', '/api/v1/namespaces/default/configmaps?watch=true');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const pending = readEvents(res, 4);
  await cm(k, 'b');
  await k.json('PATCH', '/api/v1/namespaces/default/configmaps/b', { body: { data: { v: '2' } }, contentType: 'application/merge-patch+json' });
  await k.json('DELETE', '/api/v1/namespaces/default/configmaps/a');
  const events = await pending;
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED a', 'ADDED b', 'MODIFIED b', 'DELETED a'],
  );
  assert.equal(events[1].object.kind, 'ConfigMap');
  assert.equal(events[1].object.apiVersion, 'v1');
});

test('a watch from a resourceVersion replays what came after it, with no gap before live events', async () => {
  const k = await kubeTestApp();
  const list = (await k.json('GET', '/api/v1/namespaces/default/configmaps')).body;
  await cm(k, 'x');
  await cm(k, 'y');
  const res = await k.call('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${list.metadata.resourceVersion}`);
  const pending = readEvents(res, 3);
  await cm(k, 'z');
  assert.deepEqual(
    (await pending).map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED x', 'ADDED y', 'ADDED z'],
  );
});

test('label-filtered watches turn label changes into ADDED and DELETED', async () => {
  const k = await kubeTestApp();
  await cm(k, 'a', { app: 'web' });
  const res = await k.call('GET', '/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dweb');
  const pending = readEvents(res, 3);
  await k.json('PATCH', '/api/v1/namespaces/default/configmaps/a', {
    body: { metadata: { labels: { app: 'db' } } },
    contentType: 'application/merge-patch+json',
  });
  await cm(k, 'other', { app: 'db' });
  await k.json('PATCH', '/api/v1/namespaces/default/configmaps/a', {
    body: { metadata: { labels: { app: 'web' } } },
    contentType: 'application/merge-patch+json',
  });
  assert.deepEqual(
    (await pending).map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED a', 'DELETED a', 'ADDED a'],
  );
});

test('kubectl get -w: each event is a one-row Table', async () => {
  const k = await kubeTestApp();
  const table = (await k.json('GET', '/api/v1/namespaces/default/configmaps', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body;
  const res = await k.call('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${table.metadata.resourceVersion}`, {
    accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  });
  const pending = readEvents(res, 1);
  await cm(k, 'a');
  const [e] = await pending;
  assert.equal(e.type, 'ADDED');
  assert.equal(e.object.kind, 'Table');
  assert.equal(e.object.rows.length, 1);
  assert.equal(e.object.rows[0].cells[0], 'a');
});

test('a resourceVersion older than the retained history answers a 410 Expired ERROR event', async () => {
  const k = await kubeTestApp();
  await cm(k, 'a');
  const rv = await k.store.currentRevision(k.clusterId);
  await k.store.compact(k.clusterId, rv);
  const res = await k.call('GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1');
  const [e] = await readEvents(res, 1);
  assert.equal(e.type, 'ERROR');
  assert.equal(e.object.code, 410);
  assert.equal(e.object.reason, 'Expired');
  assert.match(e.object.message, /^too old resource version: 1 \(\d+\)$/);
});

test('bookmarks carry the latest resourceVersion; timeoutSeconds ends the stream', async () => {
  const k = await kubeTestApp({ deps: { watch: { bookmarkIntervalMs: 20 } } });
  await cm(k, 'a');
  const rv = String(await k.store.currentRevision(k.clusterId));
  const res = await k.call('GET', `/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
  const [bookmark] = await readEvents(res, 1);
  assert.deepEqual(bookmark, { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv } } });
  // The stream closes by itself after timeoutSeconds: reading to the end returns.
  const timed = await k.call('GET', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=0');
  const all = await readEvents(timed, Number.POSITIVE_INFINITY);
  assert.deepEqual(
    all.map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED a'],
  );
});

test('a watch on one object (by name in the path) sees only that object', async () => {
  const k = await kubeTestApp();
  await cm(k, 'a');
  await cm(k, 'b');
  const res = await k.call('GET', '/api/v1/namespaces/default/configmaps/b?watch=true');
  const pending = readEvents(res, 2);
  await k.json('PATCH', '/api/v1/namespaces/default/configmaps/a', { body: { data: { v: '9' } }, contentType: 'application/merge-patch+json' });
  await k.json('PATCH', '/api/v1/namespaces/default/configmaps/b', { body: { data: { v: '9' } }, contentType: 'application/merge-patch+json' });
  assert.deepEqual(
    (await pending).map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED b', 'MODIFIED b'],
  );
  const legacy = await k.call('GET', '/api/v1/watch/namespaces/default/configmaps/a');
  const [first] = await readEvents(legacy, 1);
  assert.equal(`${first.type} ${first.object.metadata.name}`, 'ADDED a');
});

test('events from other processes may arrive out of revision order: none is lost, stale ones are dropped', async () => {
  const listeners: Array<(events: WatchEvent[]) => void> = [];
  const k = await kubeTestApp({ deps: { feed: { subscribe: (_c, l) => (listeners.push(l), () => undefined) } } });
  const rv = await k.store.currentRevision(k.clusterId);
  const res = await k.call('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
  const pending = readEvents(res, 3);
  const obj = (name: string, uid: string, v: number) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', uid, resourceVersion: String(v) },
  });
  const ev = (type: WatchEvent['type'], name: string, uid: string, v: number): WatchEvent => ({
    type,
    resource: 'configmaps',
    resourceVersion: v,
    object: obj(name, uid, v),
  });
  // This process's commit (rv+3) is seen before a worker's earlier one (rv+2, another object)
  // and before a stale update of the first object (rv+1).
  for (const l of listeners) l([ev('MODIFIED', 'a', 'uid-a', rv + 3)]);
  for (const l of listeners) l([ev('ADDED', 'b', 'uid-b', rv + 2)]);
  for (const l of listeners) l([ev('MODIFIED', 'a', 'uid-a', rv + 1)]);
  for (const l of listeners) l([ev('ADDED', 'c', 'uid-c', rv + 4)]);
  assert.deepEqual(
    (await pending).map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`),
    [`MODIFIED a ${rv + 3}`, `ADDED b ${rv + 2}`, `ADDED c ${rv + 4}`],
  );
});

test('what commits while a watch replays is held and sent after the replay, once', async () => {
  const listeners: Array<(events: WatchEvent[]) => void> = [];
  let armed = false;
  let k!: KubeTestApp;
  k = await kubeTestApp({
    deps: (store) => ({
      feed: {
        subscribe(clusterId, l) {
          listeners.push(l);
          return () => undefined;
        },
      },
      // The replay's read finds a, while a commit of b arrives (through the feed) before it returns.
      store: Object.assign(Object.create(store), {
        async list(...args: Parameters<typeof store.list>) {
          const page = await store.list(...args);
          if (!armed || args[1] !== 'configmaps') return page;
          armed = false;
          const [b] = await store.commit(k.clusterId, [
            { op: 'create', resource: 'configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' } } },
          ]);
          const held = { type: 'ADDED' as const, resource: 'configmaps', resourceVersion: Number(b.metadata.resourceVersion), object: b };
          for (const l of listeners) l([held, held]);
          return page;
        },
      }),
    }),
  });
  await cm(k, 'a');
  armed = true;
  const res = await k.call('GET', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1');
  assert.equal(res.status, 200);
  const events = await readEvents(res, Number.POSITIVE_INFINITY);
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED a', 'ADDED b'],
  );
});

test('sendInitialEvents ends the initial list with a bookmark; a bad resourceVersion is a 400 Status', async () => {
  const k = await kubeTestApp();
  await cm(k, 'a');
  const res = await k.call(
    'GET',
    '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan',
  );
  const events = await readEvents(res, 2);
  assert.deepEqual(
    events.map((e) => e.type),
    ['ADDED', 'BOOKMARK'],
  );
  assert.deepEqual(events[1].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  assert.equal(events[1].object.metadata.resourceVersion, String(await k.store.currentRevision(k.clusterId)));
  const bad = await k.json('GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=-3');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'resourceVersion: Invalid value: "-3": must be a non-negative integer');
});

test('a watch the client cancels leaves the change feed', async () => {
  let feed!: ReturnType<typeof storeChangeFeed>;
  const k = await kubeTestApp({ deps: (store) => ({ feed: (feed = storeChangeFeed(store)) }) });
  const res = await k.call('GET', '/api/v1/namespaces/default/configmaps?watch=true');
  assert.equal(feed.listenerCount(k.clusterId), 1);
  await res.body!.cancel();
  assert.equal(feed.listenerCount(k.clusterId), 0);
});

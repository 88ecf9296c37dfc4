import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp } from './helpers/app.ts';
import { ObjectStore } from '../../src/store/objects.ts';
import { systemClock } from '../../src/lib/clock.ts';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const cm = (name: string, namespace: string, v = '1') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { v } });
const names = (list: any) => list.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);

test('lists follow writes made by another process (through the watch log), as JSON and as a Table', async () => {
  const k = await kubeTestApp();
  // Another process: its own store over the same database, whose commits this process is never told of.
  const other = new ObjectStore(k.store.database, systemClock);
  await other.create(k.clusterId, 'configmaps', cm('a', 'default'));
  const first = (await k.json('GET', '/api/v1/namespaces/default/configmaps')).body;
  assert.deepEqual(names(first), ['default/a']);
  assert.equal(first.metadata.resourceVersion, String(await k.store.currentRevision(k.clusterId)));

  const a = await other.mustGet(k.clusterId, 'configmaps', 'default', 'a');
  await other.update(k.clusterId, 'configmaps', { ...a, data: { v: '2' } });
  await other.create(k.clusterId, 'configmaps', cm('b', 'default'));
  await other.create(k.clusterId, 'configmaps', cm('c', 'team-a'));
  const second = (await k.json('GET', '/api/v1/configmaps')).body;
  assert.deepEqual(names(second), ['default/a', 'default/b', 'team-a/c']);
  assert.deepEqual(second.items[0].data, { v: '2' });
  assert.equal(second.metadata.resourceVersion, String(await k.store.currentRevision(k.clusterId)));
  for (const item of second.items) assert.deepEqual(item, await k.store.get(k.clusterId, 'configmaps', item.metadata.namespace, item.metadata.name));
  // An unchanged resource answers the same text again; the namespace's earlier list is not reused.
  const again = (await k.json('GET', '/api/v1/namespaces/default/configmaps')).body;
  assert.deepEqual(names(again), ['default/a', 'default/b']);
  assert.deepEqual(again.items[0].data, { v: '2' });
  assert.deepEqual((await k.json('GET', '/api/v1/namespaces/default/configmaps')).body, again);
  await other.create(k.clusterId, 'configmaps', cm('a2', 'default'));
  assert.deepEqual(names((await k.json('GET', '/api/v1/namespaces/default/configmaps')).body), ['default/a', 'default/a2', 'default/b']);
  await other.delete(k.clusterId, 'configmaps', 'default', 'a2');

  await other.delete(k.clusterId, 'configmaps', 'default', 'a');
  const table = (await k.json('GET', '/api/v1/configmaps', { accept: TABLE })).body;
  assert.equal(table.kind, 'Table');
  assert.deepEqual(
    table.rows.map((r: any) => `${r.object.metadata.namespace}/${r.object.metadata.name}`),
    ['default/b', 'team-a/c'],
  );
  assert.deepEqual(names((await k.json('GET', '/api/v1/namespaces/team-a/configmaps')).body), ['team-a/c']);
});

test('pages of a cached list: limit and continue walk every object once, across namespaces, and a bad token is 410', async () => {
  const k = await kubeTestApp();
  for (const ns of ['team-a', 'default', 'kube-system']) for (let i = 0; i < 4; i++) await k.store.create(k.clusterId, 'configmaps', cm(`cm-${i}`, ns));
  const all = names((await k.json('GET', '/api/v1/configmaps')).body);
  assert.equal(all.length, 12);
  assert.deepEqual(all, [...all].sort());
  for (const accept of [undefined, TABLE]) {
    const seen: string[] = [];
    let cont = '';
    for (let page = 0; page < 20; page++) {
      const res = (await k.json('GET', `/api/v1/configmaps?limit=5${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { accept })).body;
      const rows = accept ? res.rows.map((r: any) => `${r.object.metadata.namespace}/${r.object.metadata.name}`) : names(res);
      assert.ok(rows.length <= 5);
      seen.push(...rows);
      cont = res.metadata.continue ?? '';
      if (!cont) break;
      // A write between pages shows on the later pages, as with etcd's continue.
      if (page === 0 && !accept) await k.store.create(k.clusterId, 'configmaps', cm('zz-late', 'team-a'));
    }
    assert.deepEqual(seen, [...all, 'team-a/zz-late'].sort());
  }
  const gone = await k.json('GET', '/api/v1/configmaps?limit=5&continue=not-a-token');
  assert.equal(gone.status, 410);
  assert.equal(gone.body.reason, 'Expired');
});

test('a label-selected page stops at the limit and continues after the last match', async () => {
  const k = await kubeTestApp();
  for (let i = 0; i < 9; i++)
    await k.store.create(k.clusterId, 'configmaps', {
      ...cm(`cm-${i}`, 'default'),
      metadata: { name: `cm-${i}`, namespace: 'default', labels: { odd: String(i % 2 === 1) } },
    });
  const first = (await k.json('GET', '/api/v1/namespaces/default/configmaps?labelSelector=odd%3Dtrue&limit=3')).body;
  assert.deepEqual(names(first), ['default/cm-1', 'default/cm-3', 'default/cm-5']);
  const rest = (
    await k.json('GET', `/api/v1/namespaces/default/configmaps?labelSelector=odd%3Dtrue&limit=3&continue=${encodeURIComponent(first.metadata.continue)}`)
  ).body;
  assert.deepEqual(names(rest), ['default/cm-7']);
  assert.equal(rest.metadata.continue, undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../helpers/store.ts';
import { StoreError } from '../../src/store/errors.ts';
import { eventJson } from '../../src/store/objects.ts';
import type { WriteStatement } from '../../src/store/db.ts';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });

test('grouped creates share atomic writes, and each gets its own result or error', async () => {
  const { store, clusterId, database } = await createTestStore();
  await store.create(clusterId, 'configmaps', cm('taken'));
  const start = await store.currentRevision(clusterId);
  let writes = 0;
  const atomicWrite = database.atomicWrite.bind(database);
  database.atomicWrite = (s: WriteStatement[]) => (writes++, atomicWrite(s));

  const names = Array.from({ length: 20 }, (_, i) => `cm-${i}`);
  const outcomes = await Promise.allSettled([
    ...names.map((n) => store.commit(clusterId, [{ op: 'create', resource: 'configmaps', object: cm(n) }], { group: true })),
    // Taken before, and taken by an earlier commit of the same group.
    store.commit(clusterId, [{ op: 'create', resource: 'configmaps', object: cm('taken') }], { group: true }),
    store.commit(clusterId, [{ op: 'create', resource: 'configmaps', object: cm('cm-0') }], { group: true }),
    // Two ops, the second refused: the first must not be written either.
    store.commit(
      clusterId,
      [
        { op: 'create', resource: 'configmaps', object: cm('half') },
        { op: 'update', resource: 'configmaps', object: cm('missing') },
      ],
      { group: true },
    ),
  ]);
  assert.ok(writes < 5, `${writes} atomic writes for 23 commits`);
  outcomes.slice(0, 20).forEach((o, i) => {
    assert.equal(o.status, 'fulfilled');
    assert.equal((o as PromiseFulfilledResult<any>).value[0].metadata.name, names[i]);
  });
  const reasons = outcomes.slice(20).map((o) => (o.status === 'rejected' && o.reason instanceof StoreError ? o.reason.reason : o.status));
  assert.deepEqual(reasons, ['AlreadyExists', 'AlreadyExists', 'NotFound']);
  assert.equal(await store.get(clusterId, 'configmaps', 'default', 'half'), undefined, 'nothing half-written');

  // Revisions: one per written object, contiguous, in commit order; the watch log agrees.
  const revisions = outcomes.slice(0, 20).map((o) => Number((o as PromiseFulfilledResult<any>).value[0].metadata.resourceVersion));
  assert.deepEqual(
    revisions,
    names.map((_, i) => start + 1 + i),
  );
  assert.equal(await store.currentRevision(clusterId), start + 20);
  const events = await store.eventsSince(clusterId, start);
  assert.deepEqual(
    events.map((e) => e.object.metadata.name),
    names,
  );
});

test('a grouped write that fails as a whole (a row another writer inserted meanwhile) answers each commit alone', async () => {
  const { store, clusterId, database } = await createTestStore();
  let failOnce = true;
  const atomicWrite = database.atomicWrite.bind(database);
  database.atomicWrite = async (s: WriteStatement[]) => {
    if (failOnce && s.length > 3) {
      failOnce = false;
      throw new Error('UNIQUE constraint failed');
    }
    return atomicWrite(s);
  };
  const results = await Promise.all(
    ['a', 'b', 'c'].map((n) => store.commit(clusterId, [{ op: 'create', resource: 'configmaps', object: cm(n) }], { group: true })),
  );
  assert.deepEqual(
    results.map((r) => r[0].metadata.name),
    ['a', 'b', 'c'],
  );
  assert.equal(failOnce, false, 'the group was tried together first');
  assert.deepEqual(
    (await store.list(clusterId, 'configmaps')).items.map((o) => o.metadata.name),
    ['a', 'b', 'c'],
  );
});

test('a committed event serialises to the same text with its object spliced in from the stored JSON', async () => {
  const { store, clusterId } = await createTestStore();
  let seen: import('../../src/kube/types.ts').WatchEvent[] = [];
  store.onCommit((_c, events) => (seen = events));
  const a = await store.create(clusterId, 'configmaps', cm('a'));
  await store.update(clusterId, 'configmaps', { ...a, data: { k: 'changed' } });
  const created = seen;
  await store.delete(clusterId, 'configmaps', 'default', 'a');
  for (const e of [...created, ...seen]) assert.equal(eventJson(e), JSON.stringify(e));
  const foreign = { type: 'ADDED' as const, resource: 'pods', resourceVersion: 1, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } };
  assert.equal(eventJson(foreign), JSON.stringify(foreign));
});

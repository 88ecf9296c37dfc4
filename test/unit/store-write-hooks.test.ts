import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestStore } from '../helpers/store.ts';
import { settings } from '../../src/store/schema/index.ts';
import { ObjectStore, type ObjectChange } from '../../src/store/objects.ts';

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

type Seen = { changes: ObjectChange[]; nowMs: number; clusterId: string };

test('a hook sees each op of a commit with the stored state before and the written state after', async () => {
  const { store, clusterId, clock } = await createTestStore({ metering: false });
  const seen: Seen[] = [];
  store.addWriteHook((id, changes, nowMs) => {
    seen.push({ clusterId: id, changes: structuredClone(changes), nowMs });
    return [];
  });
  const a = await store.create(clusterId, 'configmaps', cm('a', { v: '1' }));
  await store.commit(clusterId, [
    { op: 'update', resource: 'configmaps', object: { ...a, data: { v: '2' } } },
    { op: 'delete', resource: 'configmaps', namespace: 'default', name: 'a' },
  ]);

  assert.equal(seen.length, 2);
  assert.equal(seen[0].clusterId, clusterId);
  assert.equal(seen[0].nowMs, clock.now());
  assert.deepEqual(
    seen[0].changes.map((c) => [c.resource, c.type, c.before?.data, c.after?.data]),
    [['configmaps', 'ADDED', undefined, { v: '1' }]],
  );
  // The delete's "before" is the update made earlier in the same commit.
  assert.deepEqual(
    seen[1].changes.map((c) => [c.type, c.before?.data, c.after?.data]),
    [
      ['MODIFIED', { v: '1' }, { v: '2' }],
      ['DELETED', { v: '2' }, undefined],
    ],
  );
  assert.equal(seen[1].changes[0].after?.metadata.resourceVersion, String(Number(a.metadata.resourceVersion) + 1));
});

test('a hook registered for some resources is not called for commits of others', async () => {
  const { store, clusterId } = await createTestStore({ metering: false });
  const calls: string[][] = [];
  store.addWriteHook(
    (_id, changes) => {
      calls.push(changes.map((c) => c.resource));
      return [];
    },
    ['secrets'],
  );
  await store.create(clusterId, 'configmaps', cm('a'));
  assert.equal(calls.length, 0);
  await store.commit(clusterId, [
    { op: 'create', resource: 'configmaps', object: cm('b') },
    { op: 'create', resource: 'secrets', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } } },
  ]);
  assert.deepEqual(calls, [['secrets']], 'only the changes it asked for');
});

test("the hook's statements commit with the objects, and its failure fails the whole commit", async () => {
  const { store, clusterId, database } = await createTestStore({ metering: false });
  let fail = false;
  store.addWriteHook((id, changes, nowMs) => {
    if (fail) throw new Error('metering unavailable');
    return changes.map((c) => ({
      query: database.db.insert(settings).values({ key: `hook/${id}/${c.after?.metadata.name}`, value: `${c.type}@${nowMs}` }),
    }));
  });
  await store.create(clusterId, 'configmaps', cm('a'));
  const row = await database.db
    .select()
    .from(settings)
    .where(eq(settings.key, `hook/${clusterId}/a`))
    .get();
  assert.equal(row?.value, `ADDED@${await store.clusterNow(clusterId)}`);

  fail = true;
  const rv = await store.currentRevision(clusterId);
  await assert.rejects(store.create(clusterId, 'configmaps', cm('b')), /metering unavailable/);
  assert.equal(await store.get(clusterId, 'configmaps', 'default', 'b'), undefined, 'the object was not written');
  assert.equal(await store.currentRevision(clusterId), rv);
  assert.equal(
    await database.db
      .select()
      .from(settings)
      .where(eq(settings.key, `hook/${clusterId}/b`))
      .get(),
    undefined,
  );
});

test('a compare-and-swap retry runs the hook again on the fresh state', async () => {
  const { database, clock, store, clusterId } = await createTestStore({ metering: false });
  // Commits of one process queue; two stores over one database race as two processes do.
  const other = new ObjectStore(database, clock);
  await store.create(clusterId, 'configmaps', cm('c', { n: '0' }));
  const befores: string[] = [];
  // Both commits wait in the hook until both have read the same revision, then race to write.
  let arrived = 0;
  let bothIn!: () => void;
  const bothInside = new Promise<void>((r) => (bothIn = r));
  let release!: () => void;
  let gate: Promise<void> | undefined = new Promise((r) => (release = r));
  const hook = async (_id: string, changes: ObjectChange[]) => {
    for (const c of changes) befores.push(`${(c.after?.data as { n?: string })?.n}<-${(c.before?.data as { n?: string })?.n}`);
    if (gate) {
      if (++arrived === 2) bothIn();
      await gate;
    }
    return [];
  };
  store.addWriteHook(hook);
  other.addWriteHook(hook);
  const edit = async (s: ObjectStore, n: string) => {
    const current = (await s.get(clusterId, 'configmaps', 'default', 'c'))!;
    delete current.metadata.resourceVersion; // last writer wins, after a retry
    return s.update(clusterId, 'configmaps', { ...current, data: { n } });
  };
  const both = Promise.all([edit(store, '1'), edit(other, '2')]);
  await bothInside;
  gate = undefined;
  release();
  await both;
  // Both first saw "0"; whichever lost the race ran again and saw the winner's value.
  assert.equal(befores.length, 3, `hook calls: ${befores.join(', ')}`);
  const retried = befores[2];
  assert.ok(retried === '1<-2' || retried === '2<-1', retried);
});

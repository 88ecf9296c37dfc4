import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingIndex } from '../../src/scheduler/pending-index.ts';
import { needsPass } from '../../src/scheduler/queue.ts';
import { createTestStore } from '../helpers/store.ts';
import { pod } from '../unit/scheduler/fixtures.ts';

test('the pending index follows the watch log and falls back to a list when it cannot', async () => {
  const { store, clusterId } = await createTestStore();
  const index = new PendingIndex((p) => needsPass(p));
  assert.equal(await index.anyWaiting(store, clusterId), undefined, 'unknown before the first list');
  await store.create(clusterId, 'pods', pod('running', { nodeName: 'n1' }));
  const listed = await store.list(clusterId, 'pods');
  index.reset(store, clusterId, Number(listed.resourceVersion), listed.items);
  assert.equal(await index.anyWaiting(store, clusterId), false);

  const pending = await store.create(clusterId, 'pods', pod('new'));
  assert.equal(await index.anyWaiting(store, clusterId), true);
  await store.update(clusterId, 'pods', { ...pending, spec: { ...pending.spec, nodeName: 'n1' } });
  assert.equal(await index.anyWaiting(store, clusterId), false, 'bound pods no longer wait');

  const gated = await store.create(clusterId, 'pods', pod('gated', { spec: { schedulingGates: [{ name: 'x' }] } }));
  assert.equal(await index.anyWaiting(store, clusterId), true, 'a gated pod needs its SchedulingGated condition once');
  await store.update(clusterId, 'pods', {
    ...gated,
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
  });
  assert.equal(await index.anyWaiting(store, clusterId), false);
  await store.create(clusterId, 'pods', pod('other-scheduler', { spec: { schedulerName: 'custom' } }));
  assert.equal(await index.anyWaiting(store, clusterId), false);

  await store.compact(clusterId, await store.currentRevision(clusterId));
  await store.create(clusterId, 'pods', pod('after-compaction'));
  assert.equal(await index.anyWaiting(store, clusterId), true, 'events after the compacted revision are still readable');
  await store.create(clusterId, 'pods', pod('unseen'));
  await store.compact(clusterId, await store.currentRevision(clusterId));
  assert.equal(await index.anyWaiting(store, clusterId), undefined, 'its revision was compacted away: list again');
  const other = await createTestStore();
  assert.equal(await index.anyWaiting(other.store, other.clusterId), undefined, 'another store is another cache');
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { asc, eq } from 'drizzle-orm';
import { registerMeteringHook } from '../../src/billing/metering-hook.ts';
import { ObjectStore } from '../../src/store/objects.ts';
import { usageIntervals } from '../../src/store/schema/index.ts';
import { addClusterRow, ManualClock } from '../helpers/store.ts';
import { startLocalD1 } from '../runtime/local-d1.ts';

// The hook's guarded inserts (INSERT … SELECT … WHERE [NOT] EXISTS) must also run in a D1 batch.
let d1: Awaited<ReturnType<typeof startLocalD1>>;
before(async () => {
  d1 = await startLocalD1();
});
after(() => d1.dispose());

test('on D1, object writes open, reopen and close intervals with the tenant of the cluster row', async () => {
  const clock = new ManualClock();
  const store = new ObjectStore(d1.database, clock);
  registerMeteringHook(store);
  const clusterId = 'cls_d1_metering';
  await addClusterRow(d1.database, clusterId, clock.now(), 1, 'ten_d1');
  const t0 = clock.now();

  await store.create(clusterId, 'nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'kates.dev/node-pool': 'p', 'node.kubernetes.io/instance-type': 'm5.large' } },
  });
  await store.create(clusterId, 'persistentvolumes', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-1', annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' } },
    spec: { capacity: { storage: '10Gi' } },
  });
  // The same node again (a retried create would fail anyway): still one interval.
  await assert.rejects(store.create(clusterId, 'nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kates.dev/node-pool': 'p' } } }));
  clock.advance(60_000);
  const pv = (await store.get(clusterId, 'persistentvolumes', '', 'pvc-1'))!;
  await store.update(clusterId, 'persistentvolumes', { ...pv, spec: { capacity: { storage: '20Gi' } } });
  clock.advance(60_000);
  await store.delete(clusterId, 'nodes', '', 'n1');
  await store.delete(clusterId, 'persistentvolumes', '', 'pvc-1');

  const rows = await d1.database.db
    .select()
    .from(usageIntervals)
    .where(eq(usageIntervals.clusterId, clusterId))
    .orderBy(asc(usageIntervals.kind), asc(usageIntervals.startedAt))
    .all();
  assert.deepEqual(
    rows.map((r) => [
      r.tenantId,
      r.kind,
      r.subject,
      r.startedAt - t0,
      r.endedAt! - t0,
      JSON.parse(r.attributes).sizeBytes ?? JSON.parse(r.attributes).instanceType,
    ]),
    [
      ['ten_d1', 'node', 'n1', 0, 120_000, 'm5.large'],
      ['ten_d1', 'volume', 'pvc-1', 0, 60_000, 10 * 1024 ** 3],
      ['ten_d1', 'volume', 'pvc-1', 60_000, 120_000, 20 * 1024 ** 3],
    ],
  );
});

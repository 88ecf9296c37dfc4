import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestStore } from '../../helpers/store.ts';
import { objectCacheFor } from '../../../src/controllers/shared/object-cache.ts';
import { monitoringController, SAMPLE_INTERVAL_MS } from '../../../src/monitoring/controller.ts';
import { monitoringSamples } from '../../../src/store/schema/index.ts';
import { storeEventRecorder } from '../../../src/kube/events.ts';
import type { Logger } from '../../../src/lib/logger.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

test('an unchanged cluster writes one sample and nothing after it; a change writes at the next interval', async () => {
  const t = await createTestStore({ clusterId: 'cls_mon_idle' });
  objectCacheFor(t.store).freezeObjects(); // the controller reads through the shared informer: it must not change what it reads
  const now = () => t.clock.now();
  const ctx = { clusterId: t.clusterId, store: t.store, now, log: silent, events: storeEventRecorder(t.store, t.clusterId, now), trigger() {} };
  const rows = async () =>
    (await t.database.db.select().from(monitoringSamples).where(eq(monitoringSamples.clusterId, t.clusterId)).all()).map((r) => r.at - t.clock.now());
  await t.store.create(t.clusterId, 'deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2 },
  });

  await monitoringController.reconcile(ctx);
  assert.equal((await rows()).length, 1);
  for (let i = 0; i < 20; i++) {
    t.clock.advance(SAMPLE_INTERVAL_MS);
    await monitoringController.reconcile(ctx);
  }
  assert.equal((await rows()).length, 1, 'five idle minutes add nothing');

  const scale = async (replicas: number) =>
    t.store.update(t.clusterId, 'deployments.apps', { ...(await t.store.get(t.clusterId, 'deployments.apps', 'default', 'web'))!, spec: { replicas } });
  await scale(5);
  t.clock.advance(1000);
  assert.deepEqual(await monitoringController.reconcile(ctx), {}, 'the last snapshot is minutes old: the change is taken at once');
  assert.equal((await rows()).length, 2);
  await scale(3);
  t.clock.advance(1000);
  assert.deepEqual(await monitoringController.reconcile(ctx), { requeueAfterMs: SAMPLE_INTERVAL_MS - 1000 }, 'within the interval the change waits');
  assert.equal((await rows()).length, 2);
  t.clock.advance(SAMPLE_INTERVAL_MS - 1000);
  assert.deepEqual(await monitoringController.reconcile(ctx), {});
  assert.equal((await rows()).length, 3);

  t.clock.advance(2 * 3_600_000);
  assert.deepEqual(await monitoringController.reconcile(ctx), {}, 'nothing is due');
  assert.equal((await rows()).length, 3, 'two hours later an unchanged cluster has written nothing');
});

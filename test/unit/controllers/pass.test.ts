import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pass } from '../../../src/controllers/shared/pass.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import type { WriteOp } from '../../../src/store/objects.ts';
import { controllerWorld } from '../../controllers/helpers/context.ts';

function configMap(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

test('Pass.commit writes in batches, keeps the winners of a raced batch and asks to run again', async () => {
  const w = await controllerWorld();
  const stored = [];
  for (let i = 0; i < 150; i++) stored.push(await w.store.create(w.clusterId, 'configmaps', configMap(`cm-${i}`)));
  // Another writer changes one of them after the pass read it: its guarded update loses.
  await w.store.update(w.clusterId, 'configmaps', { ...stored[120], data: { by: 'someone else' } });
  const ops: WriteOp[] = stored.map((o) => ({ op: 'update', resource: 'configmaps', object: { ...o, data: { by: 'pass' } } }));

  const pass = new Pass(w.ctx, 'test-controller');
  const results = await pass.commit(ops);

  assert.equal(results.filter(Boolean).length, 149);
  assert.equal(results[120], undefined);
  const by = async (name: string) => ((await w.store.get(w.clusterId, 'configmaps', 'default', name))!.data as Record<string, string>).by;
  assert.equal(await by('cm-120'), 'someone else');
  assert.equal(await by('cm-121'), 'pass');
  assert.equal(pass.budgetLeft, 500 - 150, 'each op costs one write, retries included once');
  assert.deepEqual(pass.result(), { more: true });
});

test('a pass that spends its budget ends with more; one within it answers its earliest timer only', async () => {
  const w = await controllerWorld();
  const small = new Pass(w.ctx, 'test-controller', 2);
  await small.commit([configMap('a'), configMap('b')].map((object) => ({ op: 'create', resource: 'configmaps', object })));
  assert.equal(small.exhausted, true);
  assert.deepEqual(small.result(), { more: true });

  const idle = new Pass(w.ctx, 'test-controller');
  assert.deepEqual(idle.result(), {}, 'nothing due: no timer');
  idle.wakeAt(idle.nowMs + 30_000);
  idle.wakeAt(idle.nowMs + 10_000);
  await idle.commit([]);
  assert.deepEqual(idle.result(), { requeueAfterMs: 10_000 });
});

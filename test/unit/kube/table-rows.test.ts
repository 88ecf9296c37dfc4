import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter } from '../../../src/kube/tables/pods.ts';
import { toTable } from '../../../src/kube/tables/table.ts';
import { tableJson } from '../../../src/kube/tables/row-cache.ts';
import { CachedObject } from '../../../src/store/object-cache/index.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const pod = (name: string, rv: number, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: String(rv),
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { app: 'web' },
    managedFields: [{ manager: 'm', operation: 'Update' }],
  },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase, podIP: '10.0.0.1', containerStatuses: [{ name: 'c', ready: phase === 'Running', restartCount: 0, state: { running: {} } }] },
});
const cached = (o: KubeObject) => new CachedObject('default', o.metadata.name!, Number(o.metadata.resourceVersion), JSON.stringify(o));
const now = Date.parse('2026-01-01T01:00:00Z');

test('a Table spliced from cached objects is the same JSON text as the Table built from parsed objects, for every includeObject', () => {
  const pods = [pod('a', 1), pod('b', 2, 'Pending'), pod('c', 3)];
  for (const include of ['None', 'Metadata', 'Object'] as const) {
    const meta = { resourceVersion: '9', continue: 'x' };
    assert.equal(tableJson(podPrinter, pods.map(cached), now, meta, include), JSON.stringify(toTable(podPrinter, pods, now, meta, include)));
  }
});

test('a cached object is parsed once and its row metadata kept with it', () => {
  const a = cached(pod('a', 1));
  assert.equal(a.object(), a.object());
  const first = tableJson(podPrinter, [a], now, {}, 'Metadata');
  let made = 0;
  a.memo('table.metadataJson', () => made++);
  assert.equal(made, 0, 'the metadata JSON was kept from the first table');
  assert.equal(tableJson(podPrinter, [a], now, {}, 'Metadata'), first);
  assert.match(tableJson(podPrinter, [cached(pod('a', 2, 'Failed'))], now, {}, 'None'), /"Failed"/);
});

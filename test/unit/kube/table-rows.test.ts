import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter } from '../../../src/kube/tables/pods.ts';
import { toTable } from '../../../src/kube/tables/table.ts';
import { DecodedRows, tableJson } from '../../../src/kube/tables/row-cache.ts';
import type { StoredRow } from '../../../src/store/objects.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const pod = (name: string, rv: number, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: String(rv), creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web' }, managedFields: [{ manager: 'm', operation: 'Update' }] },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase, podIP: '10.0.0.1', containerStatuses: [{ name: 'c', ready: phase === 'Running', restartCount: 0, state: { running: {} } }] },
});
const row = (o: KubeObject): StoredRow => ({ namespace: 'default', name: o.metadata.name!, resourceVersion: Number(o.metadata.resourceVersion), body: JSON.stringify(o) });
const now = Date.parse('2026-01-01T01:00:00Z');

test('a Table spliced from stored rows is the same JSON text as the Table built from parsed objects, for every includeObject', () => {
  const pods = [pod('a', 1), pod('b', 2, 'Pending'), pod('c', 3)];
  for (const include of ['None', 'Metadata', 'Object'] as const) {
    const meta = { resourceVersion: '9', continue: 'x' };
    assert.equal(tableJson(new DecodedRows(), 'cls', 'pods', podPrinter, pods.map(row), now, meta, include), JSON.stringify(toTable(podPrinter, pods, now, meta, include)));
  }
});

test('a cached row is used while its resourceVersion is unchanged and decoded again once it changes', () => {
  const cache = new DecodedRows();
  const first = cache.decode('cls', 'pods', row(pod('a', 1)));
  assert.equal(cache.decode('cls', 'pods', row(pod('a', 1))), first);
  const changed = cache.decode('cls', 'pods', row(pod('a', 2, 'Failed')));
  assert.notEqual(changed, first);
  assert.equal(changed.object.status.phase, 'Failed');
  // Another cluster's object of the same name is its own entry.
  assert.notEqual(cache.decode('other', 'pods', row(pod('a', 2))), changed);
  const json = tableJson(cache, 'cls', 'pods', podPrinter, [row(pod('a', 2, 'Failed'))], now, {}, 'None');
  assert.match(json, /"Failed"/);
});

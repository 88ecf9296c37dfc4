import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventFilter } from '../../../src/kube/watch/filter.ts';
import type { KubeObject, WatchEvent } from '../../../src/kube/types.ts';

/** The filter decides, per stored event, what one watch sends; these are its rules without a stream. */
const obj = (name: string, rv: number, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: String(rv), labels },
});
const ev = (type: WatchEvent['type'], o: KubeObject, resource = 'configmaps'): WatchEvent => ({
  type,
  resource,
  resourceVersion: Number(o.metadata.resourceVersion),
  object: o,
});
const web = (o: KubeObject) => o.metadata.labels?.app === 'web';

test('events at or below the start revision, of other resources, or stale for their object are dropped', () => {
  const f = new EventFilter('configmaps', () => true, false);
  f.startAfter(10);
  assert.equal(f.decide(ev('ADDED', obj('a', 9))), undefined);
  assert.equal(f.decide(ev('ADDED', obj('s', 11), 'secrets')), undefined);
  assert.equal(f.lastRv, 11, 'another resource still moves the bookmark revision');
  assert.equal(f.decide(ev('MODIFIED', obj('a', 13))), 'MODIFIED');
  assert.equal(f.decide(ev('ADDED', obj('b', 12))), 'ADDED', 'another object at an older revision is not stale');
  assert.equal(f.decide(ev('MODIFIED', obj('a', 12))), undefined, 'older than what was sent of a');
  assert.equal(f.lastRv, 13);
});

test('after an initial list, label changes move objects in and out as ADDED and DELETED', () => {
  const f = new EventFilter('configmaps', web, true);
  f.listed(obj('a', 5, { app: 'web' }));
  f.startAfter(5);
  assert.equal(f.decide(ev('MODIFIED', obj('a', 6, { app: 'db' }))), 'DELETED');
  assert.equal(f.decide(ev('MODIFIED', obj('a', 7, { app: 'db' }))), undefined, 'the client no longer holds it');
  assert.equal(f.decide(ev('MODIFIED', obj('a', 8, { app: 'web' }))), 'ADDED');
  assert.equal(f.decide(ev('DELETED', obj('a', 9, { app: 'web' }))), 'DELETED');
  assert.equal(f.decide(ev('ADDED', obj('b', 10, { app: 'db' }))), undefined);
});

test('from a resourceVersion the held set is unknown: a matching MODIFIED stays MODIFIED, a leaving one is not sent', () => {
  const f = new EventFilter('configmaps', web, false);
  f.startAfter(1);
  assert.equal(f.decide(ev('MODIFIED', obj('a', 2, { app: 'web' }))), 'MODIFIED');
  assert.equal(f.decide(ev('MODIFIED', obj('a', 3, { app: 'db' }))), undefined);
  assert.equal(f.decide(ev('DELETED', obj('a', 4, { app: 'web' }))), 'DELETED');
});

test('a re-viewed object goes out again only if the client holds it and nothing newer was sent', () => {
  const f = new EventFilter('configmaps', () => true, true);
  f.listed(obj('a', 5));
  f.startAfter(5);
  assert.ok(f.mayResend(obj('a', 5)));
  assert.ok(!f.mayResend(obj('b', 5)), 'never sent to the client');
  assert.equal(f.decide(ev('MODIFIED', obj('a', 7))), 'MODIFIED');
  assert.ok(!f.mayResend(obj('a', 6)), 'a newer event was sent');
});

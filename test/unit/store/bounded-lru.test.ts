import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedLru } from '../../../src/store/object-cache/index.ts';

test('the least recently used entry goes first once the count is exceeded', () => {
  const dropped: string[] = [];
  const lru = new BoundedLru<string, number>(
    2,
    Infinity,
    () => 0,
    (k) => dropped.push(k),
  );
  lru.set('a', 1);
  lru.set('b', 2);
  assert.equal(lru.get('a'), 1); // a is now the most recent
  lru.set('c', 3);
  assert.deepEqual([...lru.keys()], ['a', 'c']);
  assert.deepEqual(dropped, ['b']);
});

test('the weight bound evicts old entries but always keeps the last one used', () => {
  const lru = new BoundedLru<string, number[]>(100, 10, (v) => v.length);
  lru.set('small', [1, 2, 3]);
  lru.set(
    'big',
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.deepEqual([...lru.keys()], ['big'], 'one oversized value still stays');
  const grows: number[] = [];
  lru.set('grows', grows);
  grows.push(...Array.from({ length: 8 }, (_, i) => i));
  lru.reweigh();
  assert.deepEqual([...lru.keys()], ['grows']);
});

test('deleteWhere forgets a cluster and peek does not count as a use', () => {
  const lru = new BoundedLru<string, number>(3);
  lru.set('c1/pods', 1);
  lru.set('c2/pods', 2);
  lru.set('c1/configmaps', 3);
  assert.equal(lru.peek('c1/pods'), 1);
  lru.deleteWhere((k) => k.startsWith('c1/'));
  assert.deepEqual([...lru.keys()], ['c2/pods']);
  assert.equal(lru.size, 1);
});

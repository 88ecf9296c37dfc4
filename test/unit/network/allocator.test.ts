import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickFree, staticBandSize } from '../../../src/kube/service-addresses/allocator.ts';
import { formatIPv4, parseCidr, parseIPv4, subnet, formatCidr } from '../../../src/lib/cidr.ts';

test('static band sizes match kube-apiserver for the default ranges', () => {
  // /12 service range: min(max(16, 2^20/16), 256) = 256 addresses.
  assert.equal(staticBandSize(2 ** 20, 16, 256), 256);
  // 30000-32767: 2768 ports, min(max(16, 2768/32), 128) = 86, i.e. 30000-30085.
  assert.equal(staticBandSize(2768, 32, 128), 86);
  // A tiny /28 range still keeps 16.
  assert.equal(staticBandSize(16, 16, 256), 16);
});

test('dynamic picks come from the upper band until it is full, then the lower band', () => {
  const range = { first: 0, last: 9, staticSize: 4 };
  const used = new Set<number>();
  for (let i = 0; i < 6; i++) {
    const v = pickFree(
      range,
      (x) => used.has(x),
      () => 0.5,
    )!;
    assert.ok(v >= 4, `pick ${v} should be in the upper band`);
    used.add(v);
  }
  const lower = pickFree(
    range,
    (x) => used.has(x),
    () => 0,
  )!;
  assert.ok(lower < 4);
  for (let v = 0; v < 4; v++) used.add(v);
  assert.equal(
    pickFree(range, (x) => used.has(x)),
    undefined,
  );
});

test('a random start wraps around to find the only free value', () => {
  const range = { first: 100, last: 199, staticSize: 0 };
  assert.equal(
    pickFree(
      range,
      (x) => x !== 101,
      () => 0.99,
    ),
    101,
  );
});

test('IPv4 and CIDR helpers round-trip and compute subnets', () => {
  assert.equal(formatIPv4(parseIPv4('10.96.0.1')!), '10.96.0.1');
  assert.equal(parseIPv4('10.96.0.256'), undefined);
  assert.equal(parseIPv4('10.96.0'), undefined);
  const c = parseCidr('10.100.5.7/12');
  assert.equal(formatCidr(c), '10.96.0.0/12');
  assert.equal(c.size, 1048576);
  assert.equal(formatCidr(subnet(parseCidr('10.244.0.0/16'), 24, 3)), '10.244.3.0/24');
  assert.throws(() => subnet(parseCidr('10.244.0.0/16'), 24, 256));
});

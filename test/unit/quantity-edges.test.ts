import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAmount,
  formatQuantity,
  isQuantity,
  parseCpuMillis,
  parseQuantity,
  parseQuantityInt,
  quantityProblem,
  quantityValue,
  QUANTITY_MSG,
} from '../../src/lib/quantity.ts';

/** Edge cases of apimachinery's resource.Quantity that both the API and the simulation rely on. */

test('every suffix scales exactly', () => {
  assert.equal(parseQuantityInt('1Ki'), 1024);
  assert.equal(parseQuantityInt('1Ei'), 2 ** 60);
  assert.equal(parseQuantityInt('3E'), 3e18);
  assert.equal(parseQuantityInt('7P'), 7e15);
  assert.equal(parseCpuMillis('5n'), 1);
  assert.equal(parseCpuMillis('1500u'), 2);
  assert.equal(parseQuantity('250m'), 0.25);
});

test('decimal exponents in either case and sign', () => {
  assert.equal(parseQuantity('1E3'), 1000);
  assert.equal(parseQuantity('1.5e3'), 1500);
  assert.equal(parseCpuMillis('1e-3'), 1);
  assert.equal(parseCpuMillis('1.5e-3'), 2);
  assert.equal(parseQuantityInt('12e+2'), 1200);
});

test('sub-unit precision rounds up, never down', () => {
  assert.equal(parseCpuMillis('1.0001'), 1001);
  assert.equal(parseCpuMillis('0.3'), 300);
  assert.equal(parseQuantityInt('100n'), 1);
  assert.equal(parseQuantityInt('1.1'), 2);
  assert.equal(parseQuantityInt('1.5Ki'), 1536);
});

test('malformed quantities are refused', () => {
  for (const q of ['1e', '1Kii', 'e3', '+', '1.5.5', '1ki', '1 Gi', '', '1m5', '0x10']) assert.equal(isQuantity(q), false, q);
  for (const q of ['0', '+1', '-1', '.5', '1.', '1.5Gi', '100m', '1e3']) assert.equal(isQuantity(q), true, q);
});

test('canonical form: the largest suffix with an integer mantissa, keeping the format', () => {
  assert.equal(formatQuantity(1024, 'BinarySI'), '1Ki');
  assert.equal(formatQuantity(1536, 'BinarySI'), '1536');
  assert.equal(formatQuantity(1.5e6), '1500k');
  assert.equal(formatQuantity(1e-7), '100n');
  assert.equal(formatQuantity(1e-9), '1n');
  assert.equal(formatQuantity(5e9, 'DecimalExponent'), '5e9');
});

test("a client's field: a value or undefined, never a throw", () => {
  assert.equal(quantityValue('2Gi'), 2 * 2 ** 30);
  assert.equal(quantityValue(' 500m '), 0.5);
  assert.equal(quantityValue(3), 3);
  for (const q of ['abc', null, undefined, {}, [], NaN, Infinity, '1 Gi']) assert.equal(quantityValue(q), undefined, String(q));
});

test('quantityProblem names the format first, then the int64 range', () => {
  assert.equal(quantityProblem('1.5Gi'), undefined);
  assert.equal(quantityProblem('9223372036854775807'), undefined);
  assert.equal(quantityProblem('abc'), QUANTITY_MSG);
  assert.match(quantityProblem('8Ei')!, /2\^63-1/);
  assert.match(quantityProblem('9223372036854775808')!, /2\^63-1/);
  assert.match(quantityProblem('-9223372036854775808')!, /2\^63-1/);
  assert.equal(quantityProblem('1e-400'), undefined);
  assert.match(quantityProblem('1e999999999')!, /2\^63-1/);
  assert.match(quantityProblem('1e400')!, /2\^63-1/);
});

test("admission's amounts print in millis, binary multiples or plain integers", () => {
  assert.equal(formatAmount(0), '0');
  assert.equal(formatAmount(0.1 + 0.2), '300m');
  assert.equal(formatAmount(1.5), '1500m');
  assert.equal(formatAmount(2.0000001), '2');
  assert.equal(formatAmount(3), '3');
  assert.equal(formatAmount(2 * 2 ** 30), '2Gi');
  assert.equal(formatAmount(1000), '1000');
  assert.equal(formatAmount(quantityValue('1536Mi')! + quantityValue('512Mi')!), '2Gi');
});

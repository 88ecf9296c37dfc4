import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCpuMillis, formatQuantity, isQuantity, parseCpuMillis, parseQuantity, parseQuantityInt, quantityFormat } from '../../../src/lib/quantity.ts';

test('parses decimal, binary and exponent suffixes into base units', () => {
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity('1.5Gi'), 1.5 * 1024 ** 3);
  assert.equal(parseQuantity('500Mi'), 500 * 1024 ** 2);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('1k'), 1000);
  assert.equal(parseQuantity('129M'), 129_000_000);
  assert.equal(parseQuantity('-1'), -1);
  assert.equal(parseQuantity('.5'), 0.5);
  assert.equal(parseQuantity(3), 3);
});

test('integer conversions are exact and round up like Value()/MilliValue()', () => {
  assert.equal(parseCpuMillis('0.1'), 100);
  assert.equal(parseCpuMillis('100m'), 100);
  assert.equal(parseCpuMillis('1.5'), 1500);
  assert.equal(parseCpuMillis('0.0001'), 1);
  assert.equal(parseCpuMillis('250u'), 1);
  assert.equal(parseQuantityInt('1.5'), 2);
  assert.equal(parseQuantityInt('123Mi'), 128_974_848);
  assert.equal(parseQuantityInt('1E-3'), 1);
});

test('rejects malformed quantities', () => {
  assert.equal(isQuantity('1.2.3'), false);
  assert.equal(isQuantity('10 Gi'), false);
  assert.equal(isQuantity('Gi'), false);
  assert.equal(isQuantity('12Gi'), true);
  assert.throws(() => parseQuantity('abc'));
});

test('remembers the format a quantity was written in', () => {
  assert.equal(quantityFormat('1Gi'), 'BinarySI');
  assert.equal(quantityFormat('1G'), 'DecimalSI');
  assert.equal(quantityFormat('1e9'), 'DecimalExponent');
});

test('formats canonically with the largest suffix that keeps an integer mantissa', () => {
  assert.equal(formatQuantity(1536 * 1024 ** 2, 'BinarySI'), '1536Mi');
  assert.equal(formatQuantity(2 * 1024 ** 3, 'BinarySI'), '2Gi');
  assert.equal(formatQuantity(1000, 'BinarySI'), '1k');
  assert.equal(formatQuantity(1500), '1500');
  assert.equal(formatQuantity(2000), '2k');
  assert.equal(formatQuantity(0.1), '100m');
  assert.equal(formatQuantity(0), '0');
  assert.equal(formatQuantity(1000, 'DecimalExponent'), '1e3');
  assert.equal(formatCpuMillis(100), '100m');
  assert.equal(formatCpuMillis(2000), '2');
});

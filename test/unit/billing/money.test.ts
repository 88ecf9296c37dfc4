import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centsPreservingTotal, divRound, formatCents, formatNanoPrice, formatQuantity, formatUsd, mulDivRound, parseUsd } from '../../../src/billing/money.ts';

test('formatUsd rounds micro-USD to the cent, half away from zero', () => {
  assert.equal(formatUsd(283_240_000), '283.24');
  assert.equal(formatUsd(5_000), '0.01'); // 0.005 rounds up
  assert.equal(formatUsd(4_999), '0.00');
  assert.equal(formatUsd(-74_400_000), '-74.40');
  assert.equal(formatUsd(-4_000), '0.00');
  assert.equal(formatUsd(0), '0.00');
});

test('unit prices keep every published digit', () => {
  assert.equal(formatNanoPrice(4_922_500), '0.0049225'); // Autopilot GiB-hour
  assert.equal(formatNanoPrice(96_000_000), '0.096'); // m5.large
  assert.equal(formatNanoPrice(100_000_000), '0.10'); // cluster-hour
  assert.equal(formatNanoPrice(74_400_000_000), '74.40');
});

test('quantities print exactly', () => {
  assert.equal(formatQuantity(1_500_000), '1.5');
  assert.equal(formatQuantity(730_000_000), '730');
  assert.equal(formatQuantity(27_397), '0.027397');
});

test('divRound and mulDivRound round once, half away from zero, past 2^53', () => {
  assert.equal(divRound(5n, 2n), 3n);
  assert.equal(divRound(-5n, 2n), -3n);
  assert.equal(divRound(4n, 3n), 1n);
  // $0.768/h node for one hour in ms: 768_000_000 nano × 3_600_000 ms = 2.76e15 (near 2^53) / (3_600_000 × 1000)
  assert.equal(mulDivRound([768_000_000, 3_600_000, 1000], 3_600_000n * 1000n * 1000n), 768_000);
});

test('parseUsd reads decimal strings into micro-USD', () => {
  assert.equal(parseUsd('12.5'), 12_500_000);
  assert.equal(parseUsd('0.000001'), 1);
  assert.equal(parseUsd('100'), 100_000_000);
  assert.throws(() => parseUsd('1e3'));
  assert.throws(() => parseUsd('0.0000001'));
});

test('cent rounding of lines preserves the rounded total', () => {
  // three lines of $0.333333: each rounds to 0.33, but the total 0.999999 rounds to 1.00
  const cents = centsPreservingTotal([333_333, 333_333, 333_333]);
  assert.deepEqual(cents, [34, 33, 33]);
  assert.equal(formatCents(cents.reduce((a, b) => a + b, 0)), '1.00');
  assert.deepEqual(centsPreservingTotal([73_000_000, 210_240_000]), [7300, 21024]);
  assert.deepEqual(centsPreservingTotal([]), []);
});

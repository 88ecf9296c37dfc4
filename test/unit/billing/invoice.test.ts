import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInvoice, invoiceCsv, type InvoiceRow } from '../../../src/billing/reports/invoice.ts';
import { periodOf, periodRange } from '../../../src/billing/reports/periods.ts';

const row = (over: Partial<InvoiceRow>): InvoiceRow => ({
  clusterId: 'cls_a',
  clusterName: 'alpha',
  provider: 'gke',
  tier: 'standard',
  lineItem: 'control-plane:standard',
  kind: 'cluster',
  unit: 'cluster-hour',
  unitPriceNano: 100_000_000,
  quantityMicro: 744_000_000,
  amountMicro: 74_400_000,
  regional: false,
  ...over,
});
const AFTER_JANUARY = Date.parse('2026-02-10T00:00:00Z');

test('GKE free tier: one zonal cluster for all of January (744 h × $0.10 = $74.40) is fully credited', () => {
  const nodes = row({
    lineItem: 'node:e2-standard-2',
    kind: 'node',
    unit: 'instance-hour',
    unitPriceNano: 67_006_000,
    quantityMicro: 744_000_000,
    amountMicro: 49_852_464,
  }); // 744 × 0.067006
  const inv = buildInvoice({ tenantId: 'ten_a', period: '2026-01', rows: [row({}), nodes], nowMs: AFTER_JANUARY });
  assert.equal(inv.status, 'closed');
  assert.equal(inv.subtotal.amount, '124.25'); // 74.40 + 49.852464
  assert.equal(inv.credits.amount, '-74.40');
  assert.equal(inv.total.amount, '49.85');
  assert.deepEqual(
    inv.lineItems.map((l) => [l.item, l.description, l.amount.amount]),
    [
      ['control-plane:standard', 'alpha: GKE control plane, standard tier', '74.40'],
      ['node:e2-standard-2', 'alpha: e2-standard-2 on-demand instance', '49.85'],
      ['credit:free-tier', 'GKE free tier credit', '-74.40'],
    ],
  );
  assert.equal(inv.forecast, undefined);
});

test('the credit covers one cluster per account, never a regional one, never EKS', () => {
  const two = buildInvoice({ tenantId: 't', period: '2026-01', nowMs: AFTER_JANUARY, rows: [row({}), row({ clusterId: 'cls_b', clusterName: 'beta' })] });
  assert.equal(two.subtotal.amount, '148.80');
  assert.equal(two.total.amount, '74.40'); // the credit is capped at $74.40
  const regional = buildInvoice({ tenantId: 't', period: '2026-01', nowMs: AFTER_JANUARY, rows: [row({ regional: true })] });
  assert.equal(regional.credits.amount, '0.00');
  const eks = buildInvoice({ tenantId: 't', period: '2026-01', nowMs: AFTER_JANUARY, rows: [row({ provider: 'eks' })] });
  assert.equal(eks.total.amount, '74.40');
  const autopilotHalfMonth = buildInvoice({
    tenantId: 't',
    period: '2026-01',
    nowMs: AFTER_JANUARY,
    rows: [row({ tier: 'autopilot', lineItem: 'control-plane:autopilot', amountMicro: 36_000_000 })],
  });
  assert.equal(autopilotHalfMonth.total.amount, '0.00'); // $36.00 < $74.40: all of it is credited
  // Every Autopilot cluster is regional, and it is still the one the credit covers.
  const regionalAutopilot = buildInvoice({
    tenantId: 't',
    period: '2026-01',
    nowMs: AFTER_JANUARY,
    rows: [row({ tier: 'autopilot', lineItem: 'control-plane:autopilot', amountMicro: 36_000_000, regional: true })],
  });
  assert.equal(regionalAutopilot.credits.amount, '-36.00');
});

test('month to date with a forecast to month end from the current run rate', () => {
  // 2026-01-11T00:00Z: 10 days elapsed, 21 days = 504 h left. EKS cluster with 3 × m5.large: $0.388/h.
  const now = Date.parse('2026-01-11T00:00:00Z');
  const mtd = row({ provider: 'eks', amountMicro: 93_120_000 }); // 240 h × 0.388
  const inv = buildInvoice({ tenantId: 't', period: '2026-01', nowMs: now, rows: [mtd], rest: { micro: 504 * 388_000, freeTierEligibleMicro: 0 } });
  assert.equal(inv.status, 'open');
  assert.equal(inv.total.amount, '93.12');
  assert.equal(inv.forecast?.amount, '288.67'); // 93.12 + 504 × 0.388 = 93.12 + 195.552 = 288.672
});

test('the forecast applies the free tier to the projected GKE fee too', () => {
  const now = Date.parse('2026-01-11T00:00:00Z');
  // 240 h so far: fee $24.00; 504 h more at $0.10 = $50.40 → projected fee $74.40, fully credited
  const inv = buildInvoice({
    tenantId: 't',
    period: '2026-01',
    nowMs: now,
    rows: [row({ amountMicro: 24_000_000 })],
    rest: { micro: 50_400_000, freeTierEligibleMicro: 50_400_000 },
  });
  assert.equal(inv.total.amount, '0.00');
  assert.equal(inv.forecast?.amount, '0.00');
});

test('CSV export has one row per line plus subtotal, credits and total', () => {
  const inv = buildInvoice({ tenantId: 't', period: '2026-01', nowMs: AFTER_JANUARY, rows: [row({ clusterName: 'a,"b"' })] });
  const lines = invoiceCsv(inv).trimEnd().split('\r\n');
  assert.equal(lines[0], 'period,cluster_id,provider,item,description,quantity,unit,unit_price,amount,currency');
  assert.equal(lines[1], '2026-01,cls_a,gke,control-plane:standard,"a,""b"": GKE control plane, standard tier",744,cluster-hour,0.10,74.40,USD');
  assert.deepEqual(
    lines.slice(-3).map((l) => l.split(',').slice(3, 4).concat(l.split(',').slice(-2, -1))),
    [
      ['subtotal', '74.40'],
      ['credits', '-74.40'],
      ['total', '0.00'],
    ],
  );
});

test('periods are UTC calendar months', () => {
  assert.equal(periodOf(Date.parse('2026-01-31T23:59:59Z')), '2026-01');
  assert.deepEqual(periodRange('2026-02'), [Date.parse('2026-02-01T00:00:00Z'), Date.parse('2026-03-01T00:00:00Z')]);
  assert.throws(() => periodRange('2026-13'));
});

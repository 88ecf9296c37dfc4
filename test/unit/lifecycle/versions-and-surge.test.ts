import { test } from 'node:test';
import assert from 'node:assert/strict';
import { upgradeIssues } from '../../../src/services/clusters/version-skew.ts';
import { surgePlan } from '../../../src/clusters/upgrade-settings.ts';
import { upgradeSettingsIssues } from '../../../src/services/clusters/upgrade-settings.ts';
import { standardSupportEndsAt, supportPhaseAt, SUPPORT_CALENDAR } from '../../../src/billing/support-calendar.ts';
import { rateHour, type BilledCluster } from '../../../src/billing/rating/rate-hour.ts';
import { rateWindow } from '../../../src/billing/rating/rate-window.ts';
import { priceBookAt } from '../../../src/billing/price-book.ts';
import { SERVED_VERSIONS } from '../../../src/services/clusters/version-skew.ts';
import { HOUR, MIN, interval } from '../billing/fixtures.ts';

const pool = (name: string, version: string, upgrading = true) => ({ name, version, upgrading });

test('upgrades go one minor at a time, never down, and never leave a kubelet more than three minors behind', () => {
  assert.deepEqual(upgradeIssues('1.31', '1.32', [pool('a', '1.31')]), []);
  assert.match(upgradeIssues('1.31', '1.33', [pool('a', '1.31')])[0].message, /one minor version at a time: 1\.31 can go to 1\.32, not 1\.33/);
  assert.match(upgradeIssues('1.31', '1.30', [])[0].message, /downgrades/);
  assert.match(upgradeIssues('1.31', '1.40', [])[0].message, /not one of them/);
  // Control plane only: a pool at 1.29 may stay while the control plane goes to 1.32 (skew 3) ...
  assert.deepEqual(upgradeIssues('1.31', '1.32', [pool('a', '1.29', false)]), []);
  // ... but not at 1.28 (skew 4).
  assert.match(upgradeIssues('1.31', '1.32', [pool('a', '1.28', false)])[0].message, /more than 3 minors behind 1\.32/);
  // Same version: pools catch up; nothing to do is refused.
  assert.deepEqual(upgradeIssues('1.32', '1.32', [pool('a', '1.31')]), []);
  assert.match(upgradeIssues('1.32', '1.32', [pool('a', '1.32')])[0].message, /already run 1\.32/);
});

test("each provider's surge defaults: GKE 1/0, AKS 10% rounded up, EKS twice the zones with maxUnavailable 1", () => {
  const none = { maxSurge: null, maxUnavailable: null };
  assert.deepEqual(surgePlan('gke', none, 3, 3), { surge: 1, unavailable: 0, concurrency: 1 });
  assert.deepEqual(surgePlan('aks', none, 3, 3), { surge: 1, unavailable: 0, concurrency: 1 });
  assert.deepEqual(surgePlan('aks', none, 25, 3), { surge: 3, unavailable: 0, concurrency: 3 });
  assert.deepEqual(surgePlan('eks', none, 10, 3), { surge: 6, unavailable: 1, concurrency: 1 });
  assert.deepEqual(surgePlan('eks', none, 2, 3), { surge: 2, unavailable: 1, concurrency: 1 }, 'never more new nodes than the group has');
  assert.deepEqual(surgePlan('gke', { maxSurge: '0', maxUnavailable: '2' }, 5, 1), { surge: 0, unavailable: 2, concurrency: 2 });
  assert.deepEqual(surgePlan('aks', { maxSurge: '50%', maxUnavailable: null }, 5, 1), { surge: 3, unavailable: 0, concurrency: 3 });
  assert.match(upgradeSettingsIssues('gke', 'u', { maxSurge: '10%' })[0].message, /counts, not percentages/);
  assert.match(upgradeSettingsIssues('aks', 'u', { maxSurge: '0', maxUnavailable: '0' })[0].message, /cannot both be 0/);
  assert.match(upgradeSettingsIssues('eks', 'u', { maxSurge: '1' })[0].message, /no maxSurge/);
  assert.deepEqual(upgradeSettingsIssues('aks', 'u', { maxSurge: '33%' }), []);
});

test('the support calendar covers every served version on every provider, in order', () => {
  for (const provider of ['eks', 'gke', 'aks'] as const) {
    for (const v of SERVED_VERSIONS) {
      const s = SUPPORT_CALENDAR[provider][v];
      assert.ok(s, `${provider} ${v}`);
      assert.ok(s.released < s.endOfStandard && s.endOfStandard < s.endOfExtended, `${provider} ${v} dates in order`);
    }
  }
  // EKS: 14 months of standard support, then 12 of extended.
  assert.equal(supportPhaseAt('eks', '1.31', Date.parse('2025-11-26T23:59:59Z')), 'standard');
  assert.equal(supportPhaseAt('eks', '1.31', Date.parse('2025-11-27T00:00:00Z')), 'extended');
  assert.equal(supportPhaseAt('eks', '1.31', Date.parse('2026-11-27T00:00:00Z')), 'end-of-life');
});

const eks: BilledCluster = { tenantId: 'ten_a', clusterId: 'cls_a', provider: 'eks', region: 'us-east-1', tier: 'standard' };

test('EKS bills extended support at $0.60 from the first second past standard support, as its own line', () => {
  const boundary = standardSupportEndsAt('eks', '1.31')!;
  const cp = interval('cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1', kubernetesVersion: '1.31' }, boundary - 5 * HOUR);
  const before = rateHour(eks, [cp], boundary - HOUR);
  assert.deepEqual(
    before.map((r) => [r.lineItem, r.amountMicro]),
    [['control-plane:standard', 100_000]],
  );
  const after = rateHour(eks, [cp], boundary);
  assert.deepEqual(
    after.map((r) => [r.lineItem, r.amountMicro]),
    [['control-plane:extended-support', 600_000]],
  );
  assert.equal(after[0].attributes.kubernetesVersion, '1.31');
  // A window across the boundary splits at it: 30 min standard, 30 min extended.
  const lines = rateWindow([cp], { book: priceBookAt('eks', boundary), region: 'us-east-1' }, boundary - 30 * MIN, boundary + 30 * MIN);
  assert.deepEqual(Object.fromEntries(lines.map((l) => [l.lineItem, l.amountMicro])), {
    'control-plane:standard': 50_000,
    'control-plane:extended-support': 300_000,
  });
  // What-ifs priced at a fixed tier: EKS standard still pays extended support; EKS's extended tier is not charged twice.
  const whatIf = (fixedTier: string) =>
    rateWindow([cp], { book: priceBookAt('eks', boundary), region: 'us-east-1', fixedTier }, boundary, boundary + HOUR).map((l) => [l.lineItem, l.amountMicro]);
  assert.deepEqual(whatIf('standard'), [['control-plane:extended-support', 600_000]]);
  assert.deepEqual(whatIf('extended'), [['control-plane:extended', 600_000]]);
  // Upgraded to 1.32 before the boundary: still standard (1.32's standard support runs to March 2026).
  const upgraded = interval('cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1', kubernetesVersion: '1.32' }, boundary - HOUR);
  assert.deepEqual(
    rateHour(eks, [upgraded], boundary).map((r) => r.lineItem),
    ['control-plane:standard'],
  );
  // An EKS cluster that opted out of extended support (AWS would upgrade it) is not charged for it.
  assert.deepEqual(
    rateHour(
      eks,
      [
        interval(
          'cluster',
          'cls_a',
          { provider: 'eks', tier: 'standard', region: 'us-east-1', kubernetesVersion: '1.31', versionSupport: 'standard' },
          boundary - HOUR,
        ),
      ],
      boundary,
    ).map((r) => r.lineItem),
    ['control-plane:standard'],
  );
  // GKE's Extended channel adds $0.50 to the $0.10 fee past its own calendar's standard support.
  const gkeBoundary = standardSupportEndsAt('gke', '1.31')!;
  const gkeExtended = interval(
    'cluster',
    'cls_a',
    { provider: 'gke', tier: 'standard', region: 'us-central1', kubernetesVersion: '1.31', versionSupport: 'extended' },
    gkeBoundary - HOUR,
  );
  assert.deepEqual(
    rateHour({ ...eks, provider: 'gke', region: 'us-central1' }, [gkeExtended], gkeBoundary).map((r) => [r.lineItem, r.amountMicro]),
    [
      ['control-plane:standard', 100_000],
      ['control-plane:extended-support', 500_000],
    ],
  );
  // GKE and AKS clusters on standard support pay no more; intervals without a version (older data) neither.
  assert.deepEqual(
    rateHour(
      { ...eks, provider: 'gke', region: 'us-central1' },
      [interval('cluster', 'cls_a', { provider: 'gke', tier: 'standard', region: 'us-central1', kubernetesVersion: '1.27' }, boundary - HOUR)],
      boundary,
    ).map((r) => r.lineItem),
    ['control-plane:standard'],
  );
  assert.deepEqual(
    rateHour(eks, [interval('cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, boundary - HOUR)], boundary).map((r) => r.lineItem),
    ['control-plane:standard'],
  );
});

test('surge nodes are priced like any node of their type, on a surge-node line', () => {
  const t = Date.parse('2026-01-01T00:00:00Z');
  const lines = rateHour(eks, [interval('node', 'n9', { instanceType: 'm5.large', pool: 'default', surge: true }, t, t + 30 * MIN)], t);
  assert.deepEqual(
    lines.map((l) => [l.lineItem, l.amountMicro, l.quantityMicro]),
    [['surge-node:m5.large', 48_000, 500_000]],
  );
});

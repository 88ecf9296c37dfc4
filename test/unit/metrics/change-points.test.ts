import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { autoscalingWorld, podSample } from '../../autoscaling/helpers/world.ts';
import { latestSamples, readRollups, readSamples } from '../../../src/metrics/read.ts';
import { metricsController } from '../../../src/metrics/controller.ts';
import { nextRpsChange } from '../../../src/traffic/profile.ts';
import { putTrafficSpec } from '../../../src/traffic/store.ts';
import { metricSamples } from '../../../src/store/schema/index.ts';
import type { ServiceTraffic } from '../../../src/traffic/types.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

test('change points render as the 15 s scrapes they replace: values, ends of series, rollups and pruning', async () => {
  const w = await autoscalingWorld();
  const rows = async () => (await w.database.db.select().from(metricSamples).where(eq(metricSamples.clusterId, w.clusterId)).all()).length;
  w.clock.advance(7000); // off the scrape grid
  await w.scrape([podSample('a', 100), podSample('b', 50)]);
  for (let i = 0; i < 3; i++) {
    w.clock.advance(10_000);
    await w.scrape([podSample('a', 100), podSample('b', 50)]);
  }
  assert.equal(await rows(), 2, 'unchanged usage adds no row');
  w.clock.advance(3000); // T0 + 40 s: a doubles, b stops
  await w.scrape([podSample('a', 200)]);
  assert.equal(await rows(), 4, 'one row for the change, one ending b');

  const at = (s: { at: number }) => (s.at - T0) / 1000;
  const now = T0 + 75_000;
  const a = await readSamples(w.database, w.clusterId, { kind: 'pod', name: 'a' }, now);
  assert.deepEqual(
    a.map((s) => [at(s), s.cpuMilli, s.windowMs]),
    [
      [15, 100, 15_000],
      [30, 100, 15_000],
      [45, 200, 15_000],
      [60, 200, 15_000],
      [75, 200, 15_000],
    ],
  );
  const b = await readSamples(w.database, w.clusterId, { kind: 'pod', name: 'b' }, now);
  assert.deepEqual(
    b.map((s) => [at(s), s.cpuMilli]),
    [
      [15, 50],
      [30, 50],
    ],
    'no scrape of b after it stopped',
  );
  assert.deepEqual(
    (await latestSamples(w.database, w.clusterId, 'pod', now + 14_000)).map((s) => [s.name, at(s), s.cpuMilli]),
    [['a', 75, 200]],
  );

  // Minute buckets: a held 100 for the scrapes at 15 and 30 s, then 200 at 45 s and 60, 75 s.
  const minutes = await readRollups(w.database, w.clusterId, { resolution: '1m', kind: 'pod', name: 'a', fromMs: T0, toMs: now });
  assert.deepEqual(
    minutes.map((m) => [(m.bucketStart - T0) / 1000, m.samples, m.cpuMilliAvg, m.cpuMilliMax]),
    [
      [0, 3, (100 + 100 + 200) / 3, 200],
      [60, 2, 200, 200],
    ],
  );
  const bHour = await readRollups(w.database, w.clusterId, { resolution: '1h', kind: 'pod', name: 'b', fromMs: T0, toMs: now });
  assert.deepEqual(
    bHour.map((m) => [m.samples, m.cpuMilliAvg]),
    [[2, 50]],
    'the closed interval of b was folded in',
  );

  // 20 minutes on, the points no scrape of the window reads are gone; a's current value stays.
  w.clock.advance(20 * 60_000);
  await w.scrape([podSample('a', 300)]);
  assert.equal(await rows(), 2, 'a at 200 (still read at the window start) and a at 300');
  const later = w.clock.now();
  const kept = await readSamples(w.database, w.clusterId, { kind: 'pod', name: 'a' }, later);
  assert.equal(kept.length, 60, '15 minutes of scrapes');
  assert.ok(
    kept.every((s) => s.cpuMilli === 200),
    'the change 10 s off the grid is not scraped yet',
  );
  assert.equal((await latestSamples(w.database, w.clusterId, 'pod', later + 5000))[0].cpuMilli, 300, 'the next scrape instant has it');
});

test('traffic profiles: the next change is the next step, the next point after a flat stretch, an interval on a ramp, never for a constant rate', () => {
  const svc = (profile?: ServiceTraffic['profile'], rps?: number): ServiceTraffic => ({ namespace: 'd', name: 'web', cpuPerRequest: '1m', rps, profile });
  const steps = svc({
    type: 'steps',
    points: [
      { at: '08:00', rps: 50 },
      { at: '20:00', rps: 5 },
    ],
  });
  assert.equal(nextRpsChange(steps, T0 + 3_600_000, 15_000), T0 + 8 * 3_600_000);
  assert.equal(nextRpsChange(steps, T0 + 21 * 3_600_000, 15_000), T0 + 32 * 3_600_000, "past the last step: tomorrow's first");
  const ramp = svc({
    type: 'points',
    points: [
      { at: '00:00', rps: 0 },
      { at: '12:00', rps: 100 },
      { at: '13:00', rps: 100 },
    ],
  });
  assert.equal(nextRpsChange(ramp, T0 + 3_600_000, 15_000), T0 + 3_600_000 + 15_000);
  assert.equal(nextRpsChange(ramp, T0 + 12.5 * 3_600_000, 15_000), T0 + 13 * 3_600_000, 'flat between 12:00 and 13:00');
  assert.equal(nextRpsChange(svc(undefined, 40), T0, 15_000), undefined);
  assert.equal(nextRpsChange(svc({ type: 'points', points: [{ at: '06:00', rps: 10 }] }), T0, 15_000), undefined);
});

test("metrics-server is due at the next step of a served Service's profile, and not at all without one", async () => {
  const w = await autoscalingWorld();
  await w.create('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    spec: { podCIDR: '10.244.1.0/24' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  await w.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.9',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', state: { running: {} } }],
    },
  });
  await w.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  await w.run(metricsController);
  w.clock.advance(15_000);
  assert.deepEqual(await w.run(metricsController), {}, 'no traffic: nothing due');

  await putTrafficSpec(
    w.database,
    w.clusterId,
    {
      services: [
        {
          namespace: 'default',
          name: 'web',
          cpuPerRequest: '1m',
          profile: {
            type: 'steps',
            points: [
              { at: '00:00', rps: 10 },
              { at: '06:00', rps: 100 },
            ],
          },
        },
      ],
    },
    w.clock.now(),
  );
  assert.equal((await w.run(metricsController)).requeueAfterMs, 15_000, 'usage changed: one more look');
  w.clock.advance(15_000);
  assert.equal((await w.run(metricsController)).requeueAfterMs, 6 * 3_600_000 - 30_000, 'then the 06:00 step');
  w.clock.advance(6 * 3_600_000 - 30_000);
  await w.run(metricsController);
  const [web] = await latestSamples(w.database, w.clusterId, 'pod', w.clock.now());
  assert.ok(web.cpuMilli >= 100, `${web.cpuMilli}m at 100 rps`);
});

test('a value held for three days folds into every hour and the retained minutes in one small write', async () => {
  const w = await autoscalingWorld();
  await w.scrape([podSample('a', 100)]);
  w.clock.advance(3 * 86_400_000);
  const statements = (await import('../../../src/metrics/write.ts')).sampleStatements;
  const write = await statements(w.database, w.clusterId, w.clock.now(), [podSample('a', 200)]);
  assert.ok(write.length < 10, `${write.length} statements`);
  await w.database.atomicWrite(write);
  const end = w.clock.now() - 1;
  const hours = await readRollups(w.database, w.clusterId, { resolution: '1h', kind: 'pod', name: 'a', fromMs: T0, toMs: end });
  assert.equal(hours.length, 72);
  assert.ok(hours.every((h) => h.samples === 240 && h.cpuMilliAvg === 100));
  const minutes = await readRollups(w.database, w.clusterId, { resolution: '1m', kind: 'pod', name: 'a', fromMs: T0, toMs: end });
  assert.equal(minutes.length, 360, 'six hours of minutes are kept');
  assert.ok(minutes.every((m) => m.samples === 4));
});

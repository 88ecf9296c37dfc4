import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

let h: Harness;
let owner: { id: string; token: string };
let viewer: { token: string };
let developer: { token: string };
let other: { token: string };
let clusterId: string;

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  viewer = await h.keyFor(owner.id, owner.token, 'viewer');
  developer = await h.keyFor(owner.id, owner.token, 'developer');
  other = await h.tenant();
  clusterId = (
    await h.runningCluster(owner.token, {
      ...defaultClusterBody(),
      nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1, minCount: 1, maxCount: 3, autoscaling: true }],
    })
  ).id;
});
after(() => h.stop());

const traffic = {
  services: [
    { namespace: 'default', name: 'web', rps: 200, cpuPerRequest: '5m', memoryPerRequest: '1Mi' },
    {
      namespace: 'default',
      name: 'api',
      cpuPerRequest: '2m',
      profile: {
        type: 'steps',
        points: [
          { at: '00:00', rps: 10 },
          { at: '12:00', rps: 50 },
        ],
      },
    },
  ],
};

test('traffic: developer writes, viewer reads, the current load is reported; other tenants get 404', async () => {
  const put = await h.request('PUT', `/v1/clusters/${clusterId}/traffic`, { token: developer.token, body: traffic });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body.services, traffic.services);
  // The Services do not exist yet: their load goes nowhere.
  assert.deepEqual(
    put.body.current.map((s: any) => [s.name, s.found, s.endpoints]),
    [
      ['web', false, 0],
      ['api', false, 0],
    ],
  );
  assert.equal(put.body.current[0].rps, 200);

  const get = await h.request('GET', `/v1/clusters/${clusterId}/traffic`, { token: viewer.token });
  assert.equal(get.status, 200);
  assert.deepEqual(get.body.services, traffic.services);
  assert.equal((await h.request('PUT', `/v1/clusters/${clusterId}/traffic`, { token: viewer.token, body: traffic })).status, 403);
  assert.equal((await h.request('GET', `/v1/clusters/${clusterId}/traffic`, { token: other.token })).status, 404);
  assert.equal((await h.request('PUT', `/v1/clusters/${clusterId}/traffic`, { token: other.token, body: traffic })).status, 404);
});

test('traffic: bad quantities, times, duplicates and rps-with-profile are 422 with the field', async () => {
  const bad = async (services: unknown[]) => h.request('PUT', `/v1/clusters/${clusterId}/traffic`, { token: owner.token, body: { services } });
  let r = await bad([{ namespace: 'default', name: 'web', rps: 1, cpuPerRequest: 'lots' }]);
  assert.equal(r.status, 422);
  assert.match(JSON.stringify(r.body.error.details), /services\.0\.cpuPerRequest/);
  r = await bad([{ namespace: 'default', name: 'web', cpuPerRequest: '1m', profile: { type: 'points', points: [{ at: '25:00', rps: 1 }] } }]);
  assert.equal(r.status, 422);
  r = await bad([
    { namespace: 'default', name: 'web', rps: 1, cpuPerRequest: '1m' },
    { namespace: 'default', name: 'web', rps: 2, cpuPerRequest: '1m' },
  ]);
  assert.equal(r.status, 422);
  r = await bad([{ namespace: 'default', name: 'web', rps: 1, cpuPerRequest: '1m', profile: { type: 'steps', points: [{ at: '00:00', rps: 1 }] } }]);
  assert.equal(r.status, 422);
});

test('autoscaler settings: defaults, partial replace, validation and roles', async () => {
  const get = await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/settings`, { token: viewer.token });
  assert.equal(get.status, 200);
  assert.equal(get.body.expander, 'least-waste');
  assert.equal(get.body.scaleDownUtilizationThreshold, 0.5);
  assert.equal(get.body.scaleDownUnneededTimeSeconds, 600);
  const put = await h.request('PUT', `/v1/clusters/${clusterId}/autoscaler/settings`, {
    token: owner.token,
    body: { expander: 'price,least-waste', dryRun: true },
  });
  assert.equal(put.status, 200);
  assert.deepEqual([put.body.expander, put.body.dryRun, put.body.scaleDownDelayAfterAddSeconds], ['price,least-waste', true, 600]);
  assert.equal((await h.request('PUT', `/v1/clusters/${clusterId}/autoscaler/settings`, { token: owner.token, body: { expander: 'cheapest' } })).status, 422);
  assert.equal((await h.request('PUT', `/v1/clusters/${clusterId}/autoscaler/settings`, { token: viewer.token, body: {} })).status, 403);
  // Labels set through the cluster API survive a settings change and vice versa.
  assert.equal((await h.request('PATCH', `/v1/clusters/${clusterId}`, { token: owner.token, body: { labels: { team: 'web' } } })).status, 200);
  assert.equal((await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/settings`, { token: owner.token })).body.dryRun, true);
  await h.request('PUT', `/v1/clusters/${clusterId}/autoscaler/settings`, { token: owner.token, body: {} });
  assert.deepEqual((await h.request('GET', `/v1/clusters/${clusterId}`, { token: owner.token })).body.labels, { team: 'web' });
});

test('autoscaler status and events answer for the cluster; other tenants get 404', async () => {
  const status = await h.waitFor(async () => {
    const r = await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/status`, { token: viewer.token });
    return r.body.lastRun ? r : undefined;
  }, 'first autoscaler loop');
  assert.deepEqual(
    status.body.nodeGroups.map((g: any) => [g.name, g.minSize, g.maxSize, g.targetSize, g.registered]),
    [['default', 1, 3, 1, 1]],
  );
  assert.equal(status.body.nodes.length, 1);
  assert.equal(status.body.nodes[0].reason, 'NodeGroupMinSizeReached');
  const events = await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/events?limit=5`, { token: viewer.token });
  assert.equal(events.status, 200);
  assert.deepEqual(events.body, { items: [], nextCursor: null });
  assert.equal((await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/status`, { token: other.token })).status, 404);
  assert.equal((await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/events`, { token: other.token })).status, 404);
});

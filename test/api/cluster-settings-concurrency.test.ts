import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type InProcessApp } from '../helpers/app.ts';

/** Writes of separate parts of a cluster's settings, raced in process: none is lost. */
let h: InProcessApp;
before(async () => {
  h = await startApp();
});
after(() => h.stop());

test('concurrent writes of the autoscaler settings, the cloud faults and the labels each keep their own part', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const pool = cluster.nodePools[0].name;
  const path = `/v1/clusters/${cluster.id}`;
  const ROUNDS = 40;
  for (let i = 1; i <= ROUNDS; i++) {
    const threshold = i / 100;
    const [a, f, l] = await Promise.all([
      h.request('PUT', `${path}/autoscaler/settings`, { token: owner.token, body: { scaleDownUtilizationThreshold: threshold } }),
      h.request('PUT', `${path}/cloud-faults`, { token: owner.token, body: { nodePools: [{ nodePool: pool, fault: 'out-of-capacity', capacity: i }] } }),
      h.request('PATCH', path, { token: owner.token, body: { labels: { round: String(i) } } }),
    ]);
    assert.deepEqual([a.status, f.status, l.status], [200, 200, 200], `${a.text} ${f.text} ${l.text}`);
    const [settings, faults, view] = await Promise.all([
      h.request('GET', `${path}/autoscaler/settings`, { token: owner.token }),
      h.request('GET', `${path}/cloud-faults`, { token: owner.token }),
      h.request('GET', path, { token: owner.token }),
    ]);
    assert.equal(settings.body.scaleDownUtilizationThreshold, threshold, `round ${i}: the autoscaler write was lost`);
    assert.deepEqual(faults.body.nodePools, [{ nodePool: pool, fault: 'out-of-capacity', capacity: i }], `round ${i}: the cloud-faults write was lost`);
    assert.deepEqual(view.body.labels, { round: String(i) }, `round ${i}: the labels write was lost`);
  }
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let token: string;
let viewer: string;
let clusterId: string;
let kubeconfig: string;

before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  token = owner.token;
  viewer = (await h.keyFor(owner.id, owner.token, 'viewer')).token;
  clusterId = (
    await h.runningCluster(token, {
      name: 'backoff',
      provider: 'eks',
      region: 'us-east-1',
      timeScale: 60,
      nodePools: [
        { name: 'ondemand', instanceType: 'm5.large', count: 1, minCount: 1, maxCount: 3, autoscaling: true },
        { name: 'spot', instanceType: 'm5.large', count: 1, minCount: 1, maxCount: 3, autoscaling: true },
      ],
    })
  ).id;
  kubeconfig = await h.kubeconfig(token, clusterId);
});
after(() => h.stop());

const kubectl = async (args: string[], input?: string) => {
  const r = await h.kubectl(kubeconfig, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const PRIORITIES = `apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-autoscaler-priority-expander, namespace: kube-system}
data:
  priorities: |-
    50:
      - ^spot$
    10:
      - .*
`;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: nginx:1.27, resources: {requests: {cpu: 1500m}}}
`;

test('cloud faults: owner sets them per existing pool, viewers read them, unknown pools are 422', async () => {
  const bad = await h.request('PUT', `/v1/clusters/${clusterId}/cloud-faults`, { token, body: { nodePools: [{ nodePool: 'gpu', fault: 'out-of-capacity' }] } });
  assert.equal(bad.status, 422);
  assert.equal(
    (await h.request('PUT', `/v1/clusters/${clusterId}/cloud-faults`, { token, body: { nodePools: [{ nodePool: 'spot', fault: 'melted' }] } })).status,
    422,
  );
  assert.equal((await h.request('PUT', `/v1/clusters/${clusterId}/cloud-faults`, { token: viewer, body: { nodePools: [] } })).status, 403);
  const put = await h.request('PUT', `/v1/clusters/${clusterId}/cloud-faults`, {
    token,
    body: { nodePools: [{ nodePool: 'spot', fault: 'out-of-capacity' }] },
  });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual((await h.request('GET', `/v1/clusters/${clusterId}/cloud-faults`, { token: viewer })).body, {
    nodePools: [{ nodePool: 'spot', fault: 'out-of-capacity' }],
  });
});

test(
  'priority expander picks the spot pool, the stock-out backs it off (status ConfigMap, events, /v1 status) and the on-demand pool takes the pod',
  { timeout: 90_000 },
  async () => {
    // A long back-off keeps the Backoff state visible while the test looks (60× clock: 1 h is a minute).
    const settings = await h.request('PUT', `/v1/clusters/${clusterId}/autoscaler/settings`, {
      token,
      body: { expander: 'priority,least-waste', initialNodeGroupBackoffDurationSeconds: 3600, maxNodeGroupBackoffDurationSeconds: 3600 },
    });
    assert.equal(settings.status, 200, settings.text);
    await kubectl(['apply', '-f', '-'], PRIORITIES);
    // Each 1500m pod fills one m5.large: the third needs a new node.
    await kubectl(['apply', '-f', '-'], WEB);

    const status = await h.waitFor(
      async () => {
        const r = await h.kubectl(kubeconfig, ['get', 'configmap', 'cluster-autoscaler-status', '-n', 'kube-system', '-o', 'jsonpath={.data.status}']);
        return r.code === 0 && /status: Backoff/.test(r.stdout) ? r.stdout : undefined;
      },
      'spot in Backoff in the status ConfigMap',
      30_000,
    );
    assert.match(
      status,
      /- name: spot\n(?:.*\n)*?\s+scaleUp:\n\s+status: Backoff\n\s+backoffInfo:\n\s+errorCode: InsufficientInstanceCapacity\n\s+errorMessage: We currently do not have sufficient m5\.large capacity/,
    );

    const events = JSON.parse(await kubectl(['get', 'events', '-n', 'kube-system', '-o', 'json'])).items as any[];
    const onStatus = events.filter((e) => e.involvedObject.name === 'cluster-autoscaler-status').map((e) => `${e.type} ${e.reason}: ${e.message}`);
    assert.ok(onStatus.includes('Normal ScaledUpGroup: Scale-up: setting group spot size to 2 instead of 1 (max: 3)'), onStatus.join('\n'));
    assert.ok(
      onStatus.some((e) => e.startsWith('Warning ScaleUpFailed: Failed adding 1 nodes to group spot due to OutOfResource.InsufficientInstanceCapacity')),
      onStatus.join('\n'),
    );

    // The pod lands on a new on-demand node.
    const pod = await h.waitFor(
      async () => {
        const pods = JSON.parse(await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as any[];
        return pods.length === 3 && pods.every((p) => p.status.phase === 'Running') ? pods : undefined;
      },
      'three running web pods',
      60_000,
    );
    const nodes = JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])).items as any[];
    const poolOf = new Map(nodes.map((n) => [n.metadata.name, n.metadata.labels['kates.dev/node-pool']]));
    assert.deepEqual(pod.map((p) => poolOf.get(p.spec.nodeName)).sort(), ['ondemand', 'ondemand', 'spot']);
    assert.equal(nodes.length, 3);

    const r = await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/status`, { token: viewer });
    const spot = r.body.nodeGroups.find((g: any) => g.name === 'spot');
    assert.deepEqual(
      [spot.targetSize, spot.scaleUpStatus, spot.backoff?.errorCode, spot.backoff?.durationSeconds],
      [1, 'Backoff', 'InsufficientInstanceCapacity', 3600],
    );
    assert.deepEqual(r.body.nodeGroups.find((g: any) => g.name === 'ondemand').targetSize, 2);
    const decisions = (await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/events?limit=50`, { token: viewer })).body.items
      .map((e: any) => e.reason)
      .reverse();
    assert.deepEqual(
      decisions.filter((x: string) => x !== 'NodeRegistered'),
      ['ScaledUpGroup', 'ScaleUpFailed', 'NodeGroupBackoff', 'ScaledUpGroup'],
    );

    // Healing the pool clears the faults; the back-off runs its course.
    assert.deepEqual((await h.request('PUT', `/v1/clusters/${clusterId}/cloud-faults`, { token, body: { nodePools: [] } })).body, { nodePools: [] });
  },
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp, type KubeTestApp } from './helpers/app.ts';

const P = '/api/v1/namespaces/default/pods';
const pod = (name: string, resources?: Record<string, unknown>, labels?: Record<string, string>) => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(resources ? { resources } : {}) }] },
});

test('ResourceQuota: counts and compute requests are charged at admission and refused beyond the hard limit', async () => {
  const k = await kubeTestApp();
  await k.json('POST', '/api/v1/namespaces/default/resourcequotas', {
    body: { metadata: { name: 'compute' }, spec: { hard: { pods: '2', 'requests.cpu': '1' } } },
  });
  const missing = await k.json('POST', P, { body: pod('none') });
  assert.equal(missing.status, 403);
  assert.equal(missing.body.message, 'pods "none" is forbidden: failed quota: compute: must specify requests.cpu for: c');
  assert.equal((await k.json('POST', P, { body: pod('a', { requests: { cpu: '600m' } }) })).status, 201);
  const over = await k.json('POST', P, { body: pod('b', { requests: { cpu: '500m' } }) });
  assert.equal(over.status, 403);
  assert.equal(
    over.body.message,
    'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1',
  );
  const quota = (await k.json('GET', '/api/v1/namespaces/default/resourcequotas/compute')).body;
  assert.deepEqual(quota.status, { hard: { pods: '2', 'requests.cpu': '1' }, used: { pods: '1', 'requests.cpu': '600m' } });
  await k.json('DELETE', `${P}/a`);
  const freed = (await k.json('GET', '/api/v1/namespaces/default/resourcequotas/compute')).body;
  assert.deepEqual(freed.status.used, { pods: '0', 'requests.cpu': '0' });
});

test('LimitRange: containers get default requests and limits; bounds are enforced with 403', async () => {
  const k = await kubeTestApp();
  await k.json('POST', '/api/v1/namespaces/default/limitranges', {
    body: { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' }, defaultRequest: { cpu: '200m' } }] } },
  });
  const lr = (await k.json('GET', '/api/v1/namespaces/default/limitranges/lr')).body;
  assert.deepEqual(lr.spec.limits[0].default, { cpu: '1' }, 'the default limit comes from max');
  const defaulted = (await k.json('POST', P, { body: pod('d') })).body;
  assert.deepEqual(defaulted.spec.containers[0].resources, { limits: { cpu: '1' }, requests: { cpu: '200m' } });
  assert.equal(defaulted.status.qosClass, 'Burstable', 'QoS is computed after LimitRange defaulting');
  const big = await k.json('POST', P, { body: pod('big', { limits: { cpu: '2' } }) });
  assert.equal(big.status, 403);
  assert.equal(big.body.message, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  const small = await k.json('POST', P, { body: pod('small', { requests: { cpu: '50m' } }) });
  assert.equal(small.status, 403);
  assert.match(small.body.message, /minimum cpu usage per Container is 100m, but request is 50m/);
});

async function readyPod(k: KubeTestApp, name: string) {
  await k.json('POST', P, { body: { ...pod(name, undefined, { app: 'web' }), spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } } });
  await k.json('PATCH', `${P}/${name}/status`, {
    body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    contentType: 'application/merge-patch+json',
  });
}

test('eviction honours PodDisruptionBudgets: 429 when the budget is spent', async () => {
  const k = await kubeTestApp();
  await readyPod(k, 'w1');
  await readyPod(k, 'w2');
  await k.json('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
    body: { metadata: { name: 'pdb' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
  });
  const evict = (name: string) =>
    k.json('POST', `${P}/${name}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } } });
  const first = await evict('w1');
  assert.equal(first.status, 201);
  const w1 = (await k.json('GET', `${P}/w1`)).body;
  assert.ok(w1.metadata.deletionTimestamp, 'evicted pods terminate gracefully');
  const second = await evict('w2');
  assert.equal(second.status, 429);
  assert.equal(second.body.reason, 'TooManyRequests');
  assert.equal(second.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(second.body.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget pdb needs 1 healthy pods and has 1 currently' }]);
  const budget = (await k.json('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb')).body;
  assert.ok(budget.status.disruptedPods.w1);
  // A pod that is not running needs no budget.
  await k.json('POST', P, { body: pod('pending', undefined, { app: 'web' }) });
  assert.equal((await evict('pending')).status, 201);
  assert.equal((await k.json('GET', `${P}/pending`)).status, 404);
});

test('claims without a class get the default StorageClass; pods resolve their PriorityClass', async () => {
  const k = await kubeTestApp();
  await k.json('POST', '/apis/storage.k8s.io/v1/storageclasses', {
    body: { metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'ebs.csi.aws.com' },
  });
  const pvc = (
    await k.json('POST', '/api/v1/namespaces/default/persistentvolumeclaims', {
      body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    })
  ).body;
  assert.equal(pvc.spec.storageClassName, 'gp3');
  assert.equal(pvc.status.phase, 'Pending');
  await k.json('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { body: { metadata: { name: 'high' }, value: 1000 } });
  const p = (
    await k.json('POST', P, { body: { metadata: { name: 'pri' }, spec: { priorityClassName: 'high', containers: [{ name: 'c', image: 'busybox' }] } } })
  ).body;
  assert.equal(p.spec.priority, 1000);
  const missing = await k.json('POST', P, {
    body: { metadata: { name: 'nopri' }, spec: { priorityClassName: 'nope', containers: [{ name: 'c', image: 'busybox' }] } },
  });
  assert.equal(missing.status, 403);
});

test('the plan object quota refuses creates beyond it', async () => {
  const k = await kubeTestApp({ deps: { objectQuota: { check: async () => ({ limit: 10, used: 10 }) } } });
  const res = await k.json('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'x' } } });
  assert.equal(res.status, 403);
  assert.equal(res.body.message, 'configmaps "x" is forbidden: exceeded the object quota of this cluster\'s plan: 10/10 objects');
});

test('the rate limiter answers 429 with Retry-After', async () => {
  const k = await kubeTestApp({ deps: { rateLimiter: { take: async () => ({ allowed: false, retryAfterSeconds: 7 }) } } });
  const res = await k.json('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '7');
  assert.equal(res.body.details.retryAfterSeconds, 7);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp } from './helpers/app.ts';

const deploy = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
  },
};
const D = '/apis/apps/v1/namespaces/default/deployments';
const MERGE = 'application/merge-patch+json';

test('generation bumps on spec changes only; status and scale write their part', async () => {
  const k = await kubeTestApp();
  const created = (await k.json('POST', D, { body: deploy })).body;
  assert.equal(created.metadata.generation, 1);
  const labeled = (await k.json('PATCH', `${D}/web`, { body: { metadata: { labels: { x: 'y' } } }, contentType: MERGE })).body;
  assert.equal(labeled.metadata.generation, 1);
  const status = await k.json('PATCH', `${D}/web/status`, {
    body: { status: { observedGeneration: 1, replicas: 2, readyReplicas: 2 }, spec: { replicas: 9 } },
    contentType: MERGE,
  });
  assert.equal(status.status, 200);
  assert.equal(status.body.status.readyReplicas, 2);
  assert.equal(status.body.spec.replicas, 2, 'the status subresource ignores spec');
  assert.equal(status.body.metadata.generation, 1);
  const mainIgnoresStatus = (await k.json('PATCH', `${D}/web`, { body: { status: { readyReplicas: 0 } }, contentType: MERGE })).body;
  assert.equal(mainIgnoresStatus.status.readyReplicas, 2);
  const scale = await k.json('GET', `${D}/web/scale`);
  assert.deepEqual(scale.body.spec, { replicas: 2 });
  assert.deepEqual(scale.body.status, { replicas: 2, selector: 'app=web' });
  const scaled = await k.json('PATCH', `${D}/web/scale`, { body: { spec: { replicas: 5 } }, contentType: MERGE });
  assert.equal(scaled.status, 200);
  assert.equal(scaled.body.spec.replicas, 5);
  const after = (await k.json('GET', `${D}/web`)).body;
  assert.equal(after.spec.replicas, 5);
  assert.equal(after.metadata.generation, 2);
  assert.equal((await k.json('PATCH', `${D}/web/scale`, { body: { spec: { replicas: -1 } }, contentType: MERGE })).status, 422);
});

test('dryRun does not persist; generateName gives five characters; create defaults pods', async () => {
  const k = await kubeTestApp();
  const dry = await k.json('POST', `${D}?dryRun=All`, { body: deploy });
  assert.equal(dry.status, 201);
  assert.equal((await k.json('GET', `${D}/web`)).status, 404);
  const gen = await k.json('POST', '/api/v1/namespaces/default/pods', {
    body: { metadata: { generateName: 'job-' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  });
  assert.equal(gen.status, 201);
  assert.match(gen.body.metadata.name, /^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  const pod = gen.body;
  assert.equal(pod.spec.restartPolicy, 'Always');
  assert.equal(pod.spec.serviceAccountName, 'default');
  assert.equal(pod.spec.containers[0].imagePullPolicy, 'Always');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
  assert.equal(pod.status.phase, 'Pending');
  assert.equal(pod.status.qosClass, 'BestEffort');
  assert.deepEqual(
    pod.spec.tolerations.map((t: any) => t.key),
    ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'],
  );
  assert.ok(pod.metadata.managedFields[0].manager);
});

test('list: selectors, pagination and kind of list', async () => {
  const k = await kubeTestApp();
  for (let i = 0; i < 5; i++) {
    await k.json('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: `cm-${i}`, labels: { parity: i % 2 ? 'odd' : 'even' } } } });
  }
  const odd = (await k.json('GET', '/api/v1/namespaces/default/configmaps?labelSelector=parity%3Dodd')).body;
  assert.equal(odd.kind, 'ConfigMapList');
  assert.deepEqual(
    odd.items.map((i: any) => i.metadata.name),
    ['cm-1', 'cm-3'],
  );
  const names: string[] = [];
  let cont = '';
  for (let page = 0; page < 10; page++) {
    const res = (await k.json('GET', `/api/v1/namespaces/default/configmaps?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).body;
    names.push(...res.items.map((i: any) => i.metadata.name));
    cont = res.metadata.continue ?? '';
    if (!cont) break;
  }
  assert.deepEqual(names, ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
  const byName = (await k.json('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dcm-2')).body;
  assert.deepEqual(
    byName.items.map((i: any) => i.metadata.name),
    ['cm-2'],
  );
});

test('HPA autoscaling/v1 and v2 are views of one object', async () => {
  const k = await kubeTestApp();
  const v1 = await k.json('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
    body: {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 50 },
    },
  });
  assert.equal(v1.status, 201);
  assert.equal(v1.body.apiVersion, 'autoscaling/v1');
  assert.equal(v1.body.spec.targetCPUUtilizationPercentage, 50);
  const v2 = (await k.json('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).body;
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  // A v2-only metric survives a v1 round trip through annotations.
  v2.spec.metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } });
  assert.equal((await k.json('PUT', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web', { body: v2 })).status, 200);
  const asV1 = (await k.json('GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web')).body;
  asV1.spec.maxReplicas = 12;
  assert.equal((await k.json('PUT', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web', { body: asV1 })).status, 200);
  const back = (await k.json('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).body;
  assert.equal(back.spec.maxReplicas, 12);
  assert.deepEqual(
    back.spec.metrics.map((m: any) => m.resource.name),
    ['cpu', 'memory'],
  );
  assert.equal(back.metadata.annotations, undefined);
});

test('namespace deletion marks it Terminating; new content is refused; finalize removes it', async () => {
  const k = await kubeTestApp();
  assert.equal((await k.json('POST', '/api/v1/namespaces', { body: { metadata: { name: 'tmp' } } })).status, 201);
  const del = await k.json('DELETE', '/api/v1/namespaces/tmp');
  assert.equal(del.status, 200);
  assert.equal(del.body.status.phase, 'Terminating');
  const refused = await k.json('POST', '/api/v1/namespaces/tmp/configmaps', { body: { metadata: { name: 'x' } } });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.message, 'configmaps "x" is forbidden: unable to create new content in namespace tmp because it is being terminated');
  assert.deepEqual(refused.body.details, {
    name: 'x',
    kind: 'configmaps',
    causes: [{ reason: 'NamespaceTerminating', message: 'namespace tmp is being terminated', field: 'metadata.namespace' }],
  });
  const deploy = await k.json('POST', '/apis/apps/v1/namespaces/tmp/deployments', {
    body: {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
  });
  assert.equal(deploy.body.message, 'deployments.apps "d" is forbidden: unable to create new content in namespace tmp because it is being terminated');
  const fin = await k.json('PUT', '/api/v1/namespaces/tmp/finalize', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' }, spec: { finalizers: [] } },
  });
  assert.equal(fin.status, 200);
  assert.equal((await k.json('GET', '/api/v1/namespaces/tmp')).status, 404);
  assert.equal((await k.json('DELETE', '/api/v1/namespaces/default')).status, 403);
});

test('deletion: a bound pod gets a grace period; foreground adds its finalizer; preconditions are checked', async () => {
  const k = await kubeTestApp();
  await k.json('POST', '/api/v1/namespaces/default/pods', {
    body: { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } },
  });
  const del = await k.json('DELETE', '/api/v1/namespaces/default/pods/p', { body: { propagationPolicy: 'Background' } });
  assert.equal(del.status, 200);
  assert.equal(del.body.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(del.body.metadata.deletionTimestamp);
  await k.json('POST', D, { body: deploy });
  const fg = await k.json('DELETE', `${D}/web`, { body: { propagationPolicy: 'Foreground' } });
  assert.deepEqual(fg.body.metadata.finalizers, ['foregroundDeletion']);
  await k.json('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'c' } } });
  const pre = await k.json('DELETE', '/api/v1/namespaces/default/configmaps/c', { body: { preconditions: { uid: 'other' } } });
  assert.equal(pre.status, 409);
  const gone = await k.json('DELETE', '/api/v1/namespaces/default/configmaps/c');
  assert.equal(gone.body.kind, 'Status');
  assert.equal(gone.body.status, 'Success');
});

test('events.k8s.io/v1 serves the core events with renamed fields; describe-style field selectors work', async () => {
  const k = await kubeTestApp();
  await k.json('POST', '/api/v1/namespaces/default/events', {
    body: {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: 'u1' },
      reason: 'Scheduled',
      message: 'ok',
      type: 'Normal',
      count: 1,
    },
  });
  const sel = '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb-0%2CinvolvedObject.namespace%3Ddefault%2CinvolvedObject.uid%3Du1';
  assert.equal((await k.json('GET', sel)).body.items.length, 1);
  const ev = (await k.json('GET', '/apis/events.k8s.io/v1/namespaces/default/events/e1')).body;
  assert.equal(ev.apiVersion, 'events.k8s.io/v1');
  assert.equal(ev.note, 'ok');
  assert.equal(ev.regarding.name, 'web-0');
});

test('jobs get a selector and labels keyed by their uid', async () => {
  const k = await kubeTestApp();
  const job = (
    await k.json('POST', '/apis/batch/v1/namespaces/default/jobs', {
      body: { metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    })
  ).body;
  const uid = job.metadata.uid;
  assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  assert.equal(job.spec.template.metadata.labels['job-name'], 'j');
  assert.equal(job.spec.backoffLimit, 6);
  const noRestart = await k.json('POST', '/apis/batch/v1/namespaces/default/jobs', {
    body: { metadata: { name: 'bad' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } },
  });
  assert.equal(noRestart.status, 422);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startKubeServer, type KubeServer } from '../kube/helpers/https.ts';

let s: KubeServer;
let kc: k8s.KubeConfig;

before(async () => {
  s = await startKubeServer();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(s.kubeconfig());
});
after(async () => {
  await s.stop();
});

const deployment = (name: string): k8s.V1Deployment => ({
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
  },
});

test('client-node CRUD: create, read, list, patch (JSON patch and merge patch), replace, delete', async () => {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('node-web') });
  assert.equal(created.metadata?.generation, 1);
  assert.equal(created.spec?.strategy?.type, 'RollingUpdate');
  const read = await apps.readNamespacedDeployment({ name: 'node-web', namespace: 'default' });
  assert.equal(read.metadata?.uid, created.metadata?.uid);
  const list = await apps.listNamespacedDeployment({ namespace: 'default', labelSelector: '' });
  assert.deepEqual(
    list.items.map((d) => d.metadata?.name),
    ['node-web'],
  );
  // client-node's patch methods default to JSON patch.
  const jp = await apps.patchNamespacedDeployment({ name: 'node-web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
  assert.equal(jp.spec?.replicas, 3);
  const mp = await apps.patchNamespacedDeployment(
    { name: 'node-web', namespace: 'default', body: { metadata: { labels: { team: 'a' } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  assert.equal(mp.metadata?.labels?.team, 'a');
  const smp = await apps.patchNamespacedDeployment(
    { name: 'node-web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
  );
  assert.equal(smp.spec?.template.spec?.containers[0].image, 'nginx:1.27');
  const replaced = await apps.replaceNamespacedDeployment({ name: 'node-web', namespace: 'default', body: { ...smp, spec: { ...smp.spec!, replicas: 1 } } });
  assert.equal(replaced.spec?.replicas, 1);
  await apps.deleteNamespacedDeployment({ name: 'node-web', namespace: 'default' });
  await assert.rejects(
    apps.readNamespacedDeployment({ name: 'node-web', namespace: 'default' }),
    (e: any) => e.code === 404 && JSON.parse(e.body).reason === 'NotFound',
  );
});

test('client-node Informer: list then watch, seeing adds, updates and deletes', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' }, data: { v: '0' } } });
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
  const seen: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${(o as k8s.V1ConfigMap).data?.v}`));
  informer.on('delete', (o) => {
    seen.push(`delete ${o.metadata?.name}`);
    done();
  });
  await informer.start();
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after' }, data: { v: '1' } } });
  await core.patchNamespacedConfigMap({ name: 'after', namespace: 'default', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
  await core.deleteNamespacedConfigMap({ name: 'after', namespace: 'default' });
  await finished;
  await informer.stop();
  assert.deepEqual(seen, ['add before', 'add after', 'update after 2', 'delete after']);
  assert.deepEqual(
    informer.list('default').map((o) => o.metadata?.name),
    ['before'],
  );
});

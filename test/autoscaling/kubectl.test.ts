import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let token: string;
let clusterId: string;
let kubeconfig: string;

before(async () => {
  h = await startHarness();
  token = (await h.tenant()).token;
  clusterId = (
    await h.runningCluster(token, {
      name: 'kubectl-autoscaling',
      provider: 'gke',
      region: 'us-central1',
      timeScale: 60,
      nodePools: [{ name: 'default', instanceType: 'e2-standard-4', count: 2, minCount: 1, maxCount: 3, autoscaling: true }],
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

test('kubectl autoscale, get hpa (v2 and v1), top nodes and pods, the autoscaler status ConfigMap and VPAs', { timeout: 90_000 }, async () => {
  await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
  await kubectl(['set', 'resources', 'deployment', 'web', '--requests=cpu=200m,memory=64Mi']);
  assert.match(
    await kubectl(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=2', '--max=5']),
    /horizontalpodautoscaler.autoscaling\/web autoscaled/,
  );
  const table = await h.waitFor(
    async () => {
      const out = await kubectl(['get', 'hpa', 'web']);
      return /cpu: \d+%\/50%/.test(out) ? out : undefined;
    },
    'HPA with a current CPU value',
    30_000,
  );
  assert.match(table, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
  assert.match(table, /\nweb\s+Deployment\/web\s+cpu: \d+%\/50%\s+2\s+5\s+2\s+\S+/);
  const v1 = JSON.parse(await kubectl(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'json']));
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
  assert.equal(typeof v1.status.currentCPUUtilizationPercentage, 'number');
  assert.equal(v1.status.currentReplicas, 2);

  const nodes = await kubectl(['top', 'nodes']);
  assert.match(nodes, /^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)\s*\n/);
  assert.equal(nodes.trim().split('\n').length, 3, 'two nodes');
  assert.match(await kubectl(['top', 'pods', '--containers']), /^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n(web-\S+\s+nginx\s+\d+m\s+\d+Mi\s*\n){2}$/);

  const status = await h.waitFor(async () => {
    const r = await h.kubectl(kubeconfig, ['get', 'configmap', 'cluster-autoscaler-status', '-n', 'kube-system', '-o', 'jsonpath={.data.status}']);
    return r.code === 0 && r.stdout.includes('nodeGroups') ? r.stdout : undefined;
  }, 'cluster-autoscaler-status');
  assert.match(status, /autoscalerStatus: Running/);
  assert.match(status, /name: default\n\s+health:\n\s+status: Healthy/);

  await kubectl(
    ['apply', '-f', '-'],
    'apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: {name: web}\nspec:\n  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  updatePolicy: {updateMode: "Off"}\n',
  );
  const vpa = await h.waitFor(
    async () => {
      const out = JSON.parse(await kubectl(['get', 'vpa', 'web', '-o', 'json']));
      return out.status?.recommendation ? out : undefined;
    },
    'a VPA recommendation',
    30_000,
  );
  assert.equal(vpa.status.recommendation.containerRecommendations[0].containerName, 'nginx');
  assert.deepEqual(
    vpa.status.conditions.map((c: any) => c.type),
    ['RecommendationProvided'],
  );
});

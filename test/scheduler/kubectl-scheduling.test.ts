import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

/** What a user sees with kubectl: placement, `describe` events with the score summary, and failures. */
let h: Harness;
let kubeconfig: string;
let clusterId: string;

before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token, {
    name: 'sched-kubectl',
    provider: 'eks',
    region: 'us-east-1',
    nodePools: [{ name: 'general', instanceType: 'm5.large', count: 3 }],
  });
  clusterId = cluster.id;
  kubeconfig = await h.kubeconfig(owner.token, clusterId);
});
after(() => h.stop());

const podYaml = (name: string, cpu: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources: {requests: {cpu: "${cpu}", memory: 128Mi}}
`;

async function kubectl(args: string[], input?: string) {
  const r = await h.kubectl(kubeconfig, args, input);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test("kubectl apply places the pod; describe shows upstream's Scheduled text, the annotation the score summary", async () => {
  await kubectl(['apply', '-f', '-'], podYaml('web', '250m'));
  const node = await h.waitFor(async () => JSON.parse(await kubectl(['get', 'pod', 'web', '-o', 'json'])).spec.nodeName, 'web bound');
  const describe = await kubectl(['describe', 'pod', 'web']);
  assert.match(describe, new RegExp(`Normal\\s+Scheduled\\s+.*default-scheduler\\s+Successfully assigned default/web to ${node}\\n`));
  const rec = JSON.parse(await kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.annotations.kates\\.dev/scheduling-result}']));
  assert.match(rec.summary, /^score \d+\/1200: /);
});

test('kubectl describe shows FailedScheduling with the FitError text for a pod no node can take', async () => {
  await kubectl(['apply', '-f', '-'], podYaml('huge', '64'));
  const describe = await h.waitFor(async () => {
    const d = await kubectl(['describe', 'pod', 'huge']);
    return d.includes('FailedScheduling') && d;
  }, 'FailedScheduling in describe');
  assert.match(
    describe,
    /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./,
  );
  const wide = await kubectl(['get', 'pod', 'huge', '-o', 'wide']);
  assert.match(wide, /huge\s+0\/1\s+Pending/);
});

test('kubectl: required anti-affinity puts one replica per node and explains the one left over', async () => {
  await kubectl(
    ['apply', '-f', '-'],
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 4
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: spread}}
            topologyKey: kubernetes.io/hostname
      containers:
      - {name: app, image: nginx:1.27}
`,
  );
  const pods = await h.waitFor(async () => {
    const items = JSON.parse(await kubectl(['get', 'pods', '-l', 'app=spread', '-o', 'json'])).items;
    const settled = items.length === 4 && items.every((p: any) => p.spec.nodeName || p.status.conditions?.some((c: any) => c.reason === 'Unschedulable'));
    return settled && items;
  }, 'spread replicas placed');
  const nodes = pods.filter((p: any) => p.spec.nodeName).map((p: any) => p.spec.nodeName);
  assert.equal(new Set(nodes).size, 3);
  assert.equal(nodes.length, 3);
  const pending = pods.find((p: any) => !p.spec.nodeName);
  assert.equal(
    pending.status.conditions.find((c: any) => c.type === 'PodScheduled').message,
    "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
  );
});

test('kubectl: a high-priority pod preempts a low-priority one and takes its room', async () => {
  await kubectl(
    ['apply', '-f', '-'],
    `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: critical-batch}
value: 100000
`,
  );
  const low = (i: number) => `apiVersion: v1
kind: Pod
metadata: {name: low-${i}, labels: {tier: low}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: app, image: nginx:1.27, resources: {requests: {cpu: 1500m}}}
`;
  await kubectl(['apply', '-f', '-'], [0, 1, 2].map(low).join('---\n'));
  await h.waitFor(
    async () => JSON.parse(await kubectl(['get', 'pods', '-l', 'tier=low', '-o', 'json'])).items.every((p: any) => p.spec.nodeName),
    'low pods placed',
  );
  await kubectl(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Pod
metadata: {name: vip}
spec:
  priorityClassName: critical-batch
  containers:
  - {name: app, image: nginx:1.27, resources: {requests: {cpu: 1500m}}}
`,
  );
  const vip = await h.waitFor(async () => {
    const p = JSON.parse(await kubectl(['get', 'pod', 'vip', '-o', 'json']));
    return p.spec.nodeName && p;
  }, 'vip bound after preemption');
  const preempted = JSON.parse(await kubectl(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'json'])).items;
  assert.equal(preempted.length, 1);
  assert.equal(preempted[0].message, `Preempted by pod ${vip.metadata.uid} on node ${vip.spec.nodeName}`);
  const lows = JSON.parse(await kubectl(['get', 'pods', '-l', 'tier=low', '-o', 'json'])).items;
  assert.equal(lows.length, 2, 'the victim was deleted');
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

/**
 * The simulated kubelet, Services and storage end to end: real API, queues and controllers, driven
 * by the real kubectl. The cluster clock runs 60× faster, so probe periods and back-offs pass in
 * a fraction of a second; nothing here asserts on time.
 */
let h: Harness;
let kubeconfig: string;
let clusterId: string;
let ownerToken: string;

before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  ownerToken = owner.token;
  const cluster = await h.runningCluster(owner.token, {
    name: 'kubelet',
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 60,
    nodePools: [{ name: 'general', instanceType: 'm5.large', count: 3 }],
  });
  clusterId = cluster.id;
  kubeconfig = await h.kubeconfig(owner.token, clusterId);
});
after(() => h.stop());

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await h.kubectl(kubeconfig, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const json = async (args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json']));
const waitFor = <T>(fn: () => Promise<T | undefined | false>, what: string) => h.waitFor(fn, what, 60_000);

test('a liveness failure restarts the container, then backs off (CrashLoopBackOff); kubectl logs tells why', async (t) => {
  // Whatever happens here, the pod must not outlive this test (the drain test counts bare pods).
  t.after(() => h.kubectl(kubeconfig, ['delete', 'pod', 'flaky', '--wait=false', '--ignore-not-found']));
  await kubectl(
    ['apply', '-f', '-'],
    `
apiVersion: v1
kind: Pod
metadata:
  name: flaky
  annotations:
    kates.dev/fail-liveness-after-seconds: "5"
spec:
  containers:
  - name: app
    image: nginx:1.27
    livenessProbe:
      httpGet: { path: /healthz, port: 80 }
      periodSeconds: 5
      failureThreshold: 2
`,
  );
  await waitFor(async () => {
    const p = await json(['get', 'pod', 'flaky']);
    const c = p.status.containerStatuses?.[0];
    return c?.restartCount >= 2 && c.state.waiting?.reason === 'CrashLoopBackOff' ? c : undefined;
  }, 'CrashLoopBackOff after liveness kills');
  // The back-off is short on this cluster's clock, so read the table row until it shows one.
  await waitFor(
    async () => /^flaky\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\d+s ago\)/m.test(await kubectl(['get', 'pod', 'flaky'])),
    'a CrashLoopBackOff row in kubectl get',
  );
  const events = await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=flaky']);
  assert.match(events, /Unhealthy\s+pod\/flaky\s+Liveness probe failed: HTTP probe failed with statuscode: 500/);
  assert.match(events, /Killing\s+pod\/flaky\s+Container app failed liveness probe, will be restarted/);
  assert.match(events, /BackOff\s+pod\/flaky\s+Back-off restarting failed container app in pod flaky_default/);
  const describe = await kubectl(['describe', 'pod', 'flaky']);
  assert.match(describe, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+137/);
  await waitFor(async () => (await json(['get', 'pod', 'flaky'])).status.containerStatuses[0].state.running, 'running again');
  const logs = await kubectl(['logs', 'flaky']);
  assert.match(logs, /starting app \(docker\.io\/library\/nginx:1\.27\), pod default\/flaky, restart #\d+/);
  assert.match(logs, /nginx: start worker processes/);
  await kubectl(['delete', 'pod', 'flaky', '--wait=false']);
});

test('kubectl get endpoints follows readiness: a not-ready pod leaves and comes back', async () => {
  await kubectl(
    ['apply', '-f', '-'],
    `
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{ containerPort: 8080, name: http }]
        readinessProbe: { httpGet: { path: /, port: 8080 }, periodSeconds: 5, failureThreshold: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: shop }
spec:
  selector: { app: shop }
  ports: [{ name: http, port: 80, targetPort: http }]
`,
  );
  const addresses = async () => {
    const e = await json(['get', 'endpoints', 'shop']);
    const subset = e.subsets?.[0] ?? {};
    return { ready: (subset.addresses ?? []).length, notReady: (subset.notReadyAddresses ?? []).length };
  };
  await waitFor(async () => (await addresses()).ready === 2, 'two ready endpoints');
  assert.match(await kubectl(['get', 'endpoints', 'shop']), /^shop\s+10\.\d+\.\d+\.\d+:8080,10\.\d+\.\d+\.\d+:8080\s+/m);
  const pod = (await json(['get', 'pods', '-l', 'app=shop'])).items[0].metadata.name;
  await kubectl(['annotate', 'pod', pod, 'kates.dev/readiness=fail']);
  await waitFor(async () => {
    const a = await addresses();
    return a.ready === 1 && a.notReady === 1;
  }, 'one endpoint not ready');
  const slices = await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=shop']);
  const conditions = slices.items
    .flatMap((s: { endpoints?: { targetRef: { name: string }; conditions: { ready: boolean } }[] }) => s.endpoints ?? [])
    .find((e: { targetRef: { name: string } }) => e.targetRef.name === pod).conditions;
  assert.equal(conditions.ready, false);
  await kubectl(['annotate', 'pod', pod, 'kates.dev/readiness=pass', '--overwrite']);
  await waitFor(async () => (await addresses()).ready === 2, 'ready again');
});

test('cordon and drain move pods to other nodes; uncordon makes the node schedulable again', async () => {
  await kubectl(['create', 'deployment', 'drainme', '--image=nginx:1.27', '--replicas=3']);
  await waitFor(async () => (await json(['get', 'deployment', 'drainme'])).status.availableReplicas === 3, '3 available');
  const pods = (await json(['get', 'pods', '-l', 'app=drainme'])).items;
  const node = pods[0].spec.nodeName;
  assert.match(await kubectl(['cordon', node]), new RegExp(`node/${node.replace(/\./g, '\\.')} cordoned`));
  assert.match(await kubectl(['get', 'node', node]), /Ready,SchedulingDisabled/);
  const drained = await h.kubectl(kubeconfig, ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=90s']);
  assert.equal(drained.code, 0, drained.stderr);
  assert.match(drained.stdout, /drained/);
  await waitFor(async () => {
    const now = (await json(['get', 'pods', '-l', 'app=drainme'])).items.filter(
      (p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp,
    );
    return (
      now.length === 3 && now.every((p: { spec: { nodeName: string }; status: { phase: string } }) => p.spec.nodeName !== node && p.status.phase === 'Running')
    );
  }, 'pods running elsewhere');
  await kubectl(['uncordon', node]);
  const taints = (await json(['get', 'node', node])).spec.taints ?? [];
  assert.ok(
    !taints.some((t: { key: string }) => t.key === 'node.kubernetes.io/unschedulable') ||
      (await waitFor(
        async () => !((await json(['get', 'node', node])).spec.taints ?? []).some((t: { key: string }) => t.key === 'node.kubernetes.io/unschedulable'),
        'taint gone',
      )),
  );
});

test('a failed node: its pods are replaced on other nodes after the 300 s toleration', async () => {
  await kubectl(['create', 'deployment', 'survivor', '--image=nginx:1.27', '--replicas=2']);
  await waitFor(async () => (await json(['get', 'deployment', 'survivor'])).status.availableReplicas === 2, '2 available');
  const victim = (await json(['get', 'pods', '-l', 'app=survivor'])).items[0];
  const node = victim.spec.nodeName;
  assert.equal((await h.request('POST', `/v1/clusters/${clusterId}/nodes/${node}:fail`, { token: ownerToken })).status, 200);
  await h.request('POST', `/v1/clusters/${clusterId}/clock:advance`, { token: ownerToken, body: { seconds: 60 } });
  const readyCondition = async () => (await json(['get', 'node', node])).status.conditions.find((c: { type: string }) => c.type === 'Ready');
  await waitFor(async () => (await readyCondition()).status === 'Unknown', 'node NotReady (Ready=Unknown)');
  assert.equal((await readyCondition()).message, 'Kubelet stopped posting node status.');
  await h.request('POST', `/v1/clusters/${clusterId}/clock:advance`, { token: ownerToken, body: { seconds: 310 } });
  await waitFor(async () => {
    const live = (await json(['get', 'pods', '-l', 'app=survivor'])).items.filter(
      (p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp,
    );
    return (
      live.length === 2 &&
      live.every((p: { spec: { nodeName: string }; status: { phase: string } }) => p.spec.nodeName !== node && p.status.phase === 'Running')
    );
  }, 'replacements running elsewhere');
  assert.match(await kubectl(['get', 'pod', victim.metadata.name]), /Terminating/);
  assert.equal((await h.request('POST', `/v1/clusters/${clusterId}/nodes/${node}:recover`, { token: ownerToken })).status, 200);
  await waitFor(async () => (await h.kubectl(kubeconfig, ['get', 'pod', victim.metadata.name])).code !== 0, 'the recovered kubelet finishes the eviction');
});

test('the StatefulSet example binds three flash claims; kubectl get pvc,pv shows them', async () => {
  const { readFileSync } = await import('node:fs');
  await kubectl(['apply', '-f', '-'], readFileSync(new URL('../../examples/tkb-sts.yaml', import.meta.url), 'utf8'));
  await waitFor(async () => (await json(['get', 'statefulset', 'tkb-sts'])).status.readyReplicas === 3, '3 ready');
  const pvc = await kubectl(['get', 'pvc']);
  for (const i of [0, 1, 2]) assert.match(pvc, new RegExp(`^webroot-tkb-sts-${i}\\s+Bound\\s+pvc-[0-9a-f-]+\\s+1Gi\\s+RWO\\s+flash`, 'm'));
  const pv = await kubectl(['get', 'pv']);
  assert.match(pv, /1Gi\s+RWO\s+Delete\s+Bound\s+default\/webroot-tkb-sts-0\s+flash/);
  const sc = await kubectl(['get', 'sc']);
  assert.match(sc, /^gp3 \(default\)\s+ebs\.csi\.aws\.com\s+Delete\s+WaitForFirstConsumer\s+true/m);
  const dns = await h.request('GET', `/v1/clusters/${clusterId}/dns?name=tkb-sts-2.dullahan.default.svc.cluster.local`, { token: ownerToken });
  assert.equal(dns.body.status, 'NOERROR');
  const ip = (await json(['get', 'pod', 'tkb-sts-2'])).status.podIP;
  assert.equal(dns.body.answers[0].data, ip);
});

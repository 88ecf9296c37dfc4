import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { planOf } from '../../src/clusters/plans.ts';

/**
 * A Deployment asking for a billion replicas on the free plan, through the running service: pods
 * stop at the plan's pods per cluster, the ReplicaSet and Deployment say why (ReplicaFailure), the
 * refusals count up on one FailedCreate Event, a client's pod beyond the bound is refused with a
 * Status, and another tenant's reads stay served meanwhile (latency printed, loosely bounded).
 */
let h: Harness;
const BOUND = planOf('free').maxPodsPerCluster;

before(async () => {
  h = await startHarness();
});
after(() => h.stop());

interface Cluster {
  id: string;
  kube: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; text: string }>;
}

async function clusterFor(plan: string): Promise<Cluster> {
  const admin = await h.adminToken();
  const t = await h.request('POST', '/v1/tenants', { token: admin, body: { name: `flood-${plan}-${Math.random().toString(36).slice(2, 8)}`, plan } });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.body.plan.maxPodsPerCluster, planOf(plan).maxPodsPerCluster);
  const { token } = await h.keyFor(t.body.id, admin, 'owner');
  const c = await h.runningCluster(token, {
    name: `c-${plan}`,
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 60,
    nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1 }],
  });
  const kubeconfig = await h.request('GET', `/v1/clusters/${c.id}/kubeconfig`, { token });
  const clusterToken = /token: (\S+)/.exec(kubeconfig.text)![1];
  return {
    id: c.id,
    kube: (method, path, body, headers) => h.request(method, `/clusters/${c.id}/k8s${path}`, { token: clusterToken, body, headers, noContract: true }),
  };
}

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  },
});

/** Latencies (ms) of the neighbour's reads while `during` runs. */
async function readLatencies(neighbour: Cluster, during: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  let done = false;
  const reader = (async () => {
    while (!done) {
      const t0 = performance.now();
      const r = await neighbour.kube('GET', '/apis/apps/v1/namespaces/default/deployments/web');
      out.push(performance.now() - t0);
      assert.equal(r.status, 200);
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  try {
    await during();
  } finally {
    done = true;
    await reader;
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${xs[xs.length - 1].toFixed(0)} ms (${xs.length} GETs)`;

test("a billion replicas stop at the plan's pods per cluster, with FailedCreate counted and ReplicaFailure set", { timeout: 600_000 }, async () => {
  const flood = await clusterFor('free');
  const neighbour = await clusterFor('standard');
  assert.equal((await neighbour.kube('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 2))).status, 201);
  const quiet = await readLatencies(neighbour, () => new Promise((r) => setTimeout(r, 3000)));

  const store = h.runtime.deps.store;
  let peak = 0;
  store.onCommit(async (cid) => {
    if (cid !== flood.id) return;
    peak = Math.max(peak, (await store.podRoom(cid))?.used ?? 0);
  });

  const t0 = performance.now();
  let reachedMs = 0;
  const busy = await readLatencies(neighbour, async () => {
    const created = await flood.kube('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('flood', 1_000_000_000));
    assert.equal(created.status, 201, created.text);
    await h.waitFor(async () => (await store.podRoom(flood.id))!.used >= BOUND, `${BOUND} pods`, 300_000);
    reachedMs = performance.now() - t0;
    // The ReplicaSet keeps asking (every pod write wakes it); the bound keeps refusing.
    await h.waitFor(
      async () => {
        const rs = (await flood.kube('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items[0];
        return rs?.status?.conditions?.some((c: any) => c.type === 'ReplicaFailure' && c.status === 'True' && c.reason === 'FailedCreate');
      },
      'ReplicaFailure on the ReplicaSet',
      120_000,
    );
    await h.waitFor(
      async () => {
        const d = (await flood.kube('GET', '/apis/apps/v1/namespaces/default/deployments/flood')).body;
        return d.status?.conditions?.some((c: any) => c.type === 'ReplicaFailure' && c.status === 'True');
      },
      'ReplicaFailure on the Deployment',
      120_000,
    );
    await h.waitFor(
      async () => {
        const events = (await flood.kube('GET', '/api/v1/namespaces/default/events?fieldSelector=reason%3DFailedCreate')).body.items;
        return events.some((e: any) => e.count >= 3);
      },
      'repeated refusals counted on one Event',
      120_000,
    );
    // The scheduler, the kubelet and the ReplicaSet keep working on the 2,000 pods for a while.
    await new Promise((r) => setTimeout(r, 15_000));
  });

  const rows = await flood.kube('GET', '/api/v1/namespaces/default/events?fieldSelector=reason%3DFailedCreate');
  const failed = rows.body.items;
  const refusals = failed.reduce((n: number, e: any) => n + e.count, 0);
  console.log(`flood: ${BOUND} pods reached in ${(reachedMs / 1000).toFixed(1)} s; ${refusals} refusals on ${failed.length} FailedCreate Event(s)`);
  console.log(`neighbour GET, quiet: ${fmt(quiet)}`);
  console.log(`neighbour GET, during the flood: ${fmt(busy)}`);
  assert.ok(failed.length <= 3, `FailedCreate Events: ${failed.map((e: any) => e.message).join(' | ')}`);
  assert.match(
    failed[0].message,
    /^Error creating: pods "flood-[a-z0-9]+-" is forbidden: exceeded the pod limit of this cluster's plan, requested: pods=1, used: pods=2000, limited: pods=2000$/,
  );
  assert.equal((await store.podRoom(flood.id))!.used, BOUND);
  assert.ok(peak <= BOUND, `never above the bound (peak ${peak})`);
  // Generous: the neighbour is served during the flood (the bench measures the real figure).
  assert.ok(pct(busy, 99) < 5000, fmt(busy));

  // A client's pod beyond the bound: 403 Forbidden, like a quota refusal.
  const pod = await flood.kube('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'one-more' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  assert.equal(pod.status, 403, pod.text);
  assert.equal(pod.body.kind, 'Status');
  assert.equal(pod.body.reason, 'Forbidden');
  assert.equal(
    pod.body.message,
    `pods "one-more" is forbidden: exceeded the pod limit of this cluster's plan, requested: pods=1, used: pods=${BOUND}, limited: pods=${BOUND}`,
  );

  // Scaled down to what fits, the Deployment converges and the failure clears.
  const scale = await flood.kube(
    'PATCH',
    '/apis/apps/v1/namespaces/default/deployments/flood',
    { spec: { replicas: 20 } },
    { 'content-type': 'application/merge-patch+json' },
  );
  assert.equal(scale.status, 200, scale.text);
  await h.waitFor(
    async () => {
      const d = (await flood.kube('GET', '/apis/apps/v1/namespaces/default/deployments/flood')).body;
      return d.status?.replicas === 20 && !d.status?.conditions?.some((c: any) => c.type === 'ReplicaFailure');
    },
    'the Deployment at 20 replicas without ReplicaFailure',
    300_000,
  );
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../helpers/store.ts';
import { webDeployment, webHpa } from './scenario.ts';

const MiB = 1024 * 1024;
let h: Harness;
let clock: ManualClock;
let owner: { id: string; token: string };

before(async () => {
  clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  h = await startHarness({ clock });
  owner = await h.tenant();
});
after(() => h.stop());

/** Parses a scrape and indexes it: `value(name, labels)` finds the one sample whose labels include `labels`. */
function scrape(text: string) {
  const families = parsePrometheusTextFormat(text);
  const family = (name: string) => families.find((f) => f.name === name);
  const samples = (name: string, labels: Record<string, string> = {}) =>
    (family(name)?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = samples(name, labels);
    assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)}: ${found.length} samples`);
    return Number(found[0].value);
  };
  return { families, family, samples, value };
}

async function clusterToken(clusterId: string): Promise<string> {
  const kc = await h.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: owner.token });
  return parseYaml(kc.text).users[0].user.token;
}

test('a cluster scrape parses as Prometheus text with kube-state-metrics names, labels and values', async () => {
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }] });
  const { store } = h.runtime.deps;
  await store.create(cluster.id, 'deployments.apps', webDeployment(3));
  // At the declared 50% a 50% target keeps 3 replicas.
  await store.create(cluster.id, 'horizontalpodautoscalers.autoscaling', webHpa(6, 50));
  await h.waitFor(
    async () => {
      const ready =
        (await store.get(cluster.id, 'deployments.apps', 'default', 'web'))?.status?.availableReplicas === 3 &&
        (await store.get(cluster.id, 'horizontalpodautoscalers.autoscaling', 'default', 'web'))?.status?.desiredReplicas === 3;
      if (!ready) clock.advance(1000);
      return ready;
    },
    'web available',
    30_000,
  );
  clock.advance(60_000);

  const token = await clusterToken(cluster.id);
  const res = await h.request('GET', `/clusters/${cluster.id}/k8s/metrics`, { token, noContract: true });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.ok(res.text.endsWith('\n'));
  const m = scrape(res.text);

  const webPods = (await store.list(cluster.id, 'pods')).items.filter((p) => p.metadata.labels?.app === 'web');
  assert.equal(webPods.length, 3);
  for (const p of webPods) {
    const labels = { namespace: 'default', pod: p.metadata.name!, uid: p.metadata.uid! };
    assert.equal(m.value('kube_pod_status_phase', { ...labels, phase: 'Running' }), 1);
    for (const phase of ['Pending', 'Succeeded', 'Failed', 'Unknown']) assert.equal(m.value('kube_pod_status_phase', { ...labels, phase }), 0);
    assert.equal(m.value('kube_pod_status_ready', { ...labels, condition: 'true' }), 1);
    assert.equal(m.value('kube_pod_container_resource_requests', { ...labels, container: 'app', resource: 'cpu', unit: 'core' }), 0.5);
    assert.equal(m.value('kube_pod_container_resource_requests', { ...labels, container: 'app', resource: 'memory', unit: 'byte' }), 256 * MiB);
    assert.equal(m.value('kube_pod_container_status_restarts_total', { ...labels, container: 'app' }), 0);
    assert.equal(m.value('kube_pod_owner', { ...labels, owner_kind: 'ReplicaSet' }), 1);
    assert.equal(m.value('container_memory_working_set_bytes', { namespace: 'default', pod: p.metadata.name!, container: 'app' }), 128 * MiB);
    assert.ok(m.value('container_cpu_usage_seconds_total', { namespace: 'default', pod: p.metadata.name!, container: 'app' }) >= 60 * 0.25, 'a minute at 250m');
  }
  assert.equal(m.family('kube_pod_container_status_restarts_total')!.type, 'COUNTER');
  assert.equal(m.family('kube_pod_status_phase')!.type, 'GAUGE');
  assert.equal(m.value('kube_deployment_spec_replicas', { namespace: 'default', deployment: 'web' }), 3);
  assert.equal(m.value('kube_deployment_status_replicas_available', { namespace: 'default', deployment: 'web' }), 3);
  assert.equal(m.value('kube_deployment_status_condition', { deployment: 'web', condition: 'Available', status: 'true' }), 1);
  assert.equal(m.value('kube_horizontalpodautoscaler_status_desired_replicas', { namespace: 'default', horizontalpodautoscaler: 'web' }), 3);
  assert.equal(
    m.value('kube_horizontalpodautoscaler_spec_target_metric', { horizontalpodautoscaler: 'web', metric_name: 'cpu', metric_target_type: 'utilization' }),
    50,
  );
  const nodes = (await store.list(cluster.id, 'nodes')).items;
  for (const n of nodes) {
    assert.equal(m.value('kube_node_status_allocatable', { node: n.metadata.name!, resource: 'cpu', unit: 'core' }), 1.93);
    assert.equal(m.value('kube_node_status_condition', { node: n.metadata.name!, condition: 'Ready', status: 'true' }), 1);
    assert.equal(m.value('kube_node_info', { node: n.metadata.name! }), 1);
    assert.ok(m.value('node_memory_MemAvailable_bytes', { node: n.metadata.name! }) < m.value('node_memory_MemTotal_bytes', { node: n.metadata.name! }));
  }
  assert.equal(m.value('kube_namespace_status_phase', { namespace: 'default', phase: 'Active' }), 1);

  // The token of the cluster's API is required, and only this cluster's.
  assert.equal((await h.request('GET', `/clusters/${cluster.id}/k8s/metrics`, { noContract: true })).status, 401);
  const other = await h.runningCluster(owner.token);
  assert.equal((await h.request('GET', `/clusters/${cluster.id}/k8s/metrics`, { token: await clusterToken(other.id), noContract: true })).status, 401);

  // A namespace-scoped token sees its namespaces only, and no node series.
  const scoped = await h.request('POST', `/v1/clusters/${cluster.id}/tokens`, { token: owner.token, body: { role: 'view', namespaces: ['team-a'] } });
  assert.equal(scoped.status, 201, scoped.text);
  const limited = scrape((await h.request('GET', `/clusters/${cluster.id}/k8s/metrics`, { token: scoped.body.token, noContract: true })).text);
  assert.equal(limited.samples('kube_pod_info').length, 0);
  assert.equal(limited.samples('kube_node_info').length, 0);
});

test('GET /metrics exposes the service: HTTP latency by route template, queues, jobs, clusters by status', async () => {
  await h.request('GET', '/v1/clusters', { token: owner.token });
  const res = await h.request('GET', '/metrics', { noContract: true });
  assert.equal(res.status, 200);
  const m = scrape(res.text);
  assert.equal(m.family('kates_http_request_duration_seconds')!.type, 'HISTOGRAM');
  // The parser folds a labelled histogram's buckets together, so its series are read from the text.
  const count = (labels: string) => Number(new RegExp(`^kates_http_request_duration_seconds_count\\{${labels}\\} (\\S+)$`, 'm').exec(res.text)?.[1] ?? 0);
  assert.ok(count('method="GET",route="/v1/clusters",status="200"') >= 1);
  assert.ok(count('method="GET",route="/v1/clusters/:clusterId",status="200"') >= 1, 'ids never become label values');
  assert.ok(!res.text.includes(`route="/v1/clusters/cls_`));
  assert.ok(m.value('kates_clusters', { status: 'RUNNING' }) >= 2);
  assert.ok(m.samples('kates_queue_jobs', { queue: 'reconcile', state: 'waiting' }).length === 1);
  assert.ok(
    /^kates_job_duration_seconds_count\{queue="reconcile",name="monitoring",outcome="completed"\} [1-9]/m.test(res.text),
    "the monitoring controller's passes are timed",
  );
});

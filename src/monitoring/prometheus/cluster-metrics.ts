import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { FamilySet, type MetricFamily } from './families.ts';
import { addKindFamilies, type KindMetrics } from './kube-state.ts';
import { podMetrics } from './kube-state-pods.ts';
import { daemonSetMetrics, deploymentMetrics, hpaMetrics, jobMetrics, replicaSetMetrics, statefulSetMetrics } from './kube-state-workloads.ts';
import { claimMetrics, namespaceMetrics, nodeMetrics, serviceMetrics, volumeMetrics } from './kube-state-cluster.ts';
import { usageFamilies } from './usage-metrics.ts';

/** The kinds kube-state-metrics reports, in the order their families appear in a scrape. */
const KINDS: KindMetrics[] = [
  podMetrics,
  deploymentMetrics,
  replicaSetMetrics,
  statefulSetMetrics,
  daemonSetMetrics,
  jobMetrics,
  hpaMetrics,
  nodeMetrics,
  namespaceMetrics,
  serviceMetrics,
  claimMetrics,
  volumeMetrics,
];

export interface MetricsScope {
  /** Limit namespaced series to these namespaces and leave out cluster-scoped ones; empty = everything. */
  namespaces: string[];
}

/**
 * A scrape of one virtual cluster: kube-state-metrics' families over its objects plus node-exporter
 * and kubelet-like usage, as a real Prometheus would collect from KSM and the nodes.
 */
export async function clusterMetricFamilies(
  store: ObjectStore,
  clusterId: string,
  nowMs: number,
  scope: MetricsScope = { namespaces: [] },
): Promise<MetricFamily[]> {
  const all = scope.namespaces.length === 0;
  const inScope = (o: KubeObject) => all || scope.namespaces.includes(o.metadata.namespace ?? '');
  const lists = await Promise.all(KINDS.map(async (kind) => (await store.list(clusterId, kind.resource)).items));
  const scoped = KINDS.map((kind, i) => lists[i].filter((o) => (kind.clusterScoped ? all : inScope(o))));
  const f = new FamilySet();
  KINDS.forEach((kind, i) => addKindFamilies(f, kind, scoped[i]));
  // Usage needs every pod of a node to price it, even for a namespace-limited scrape (node series are left out then).
  usageFamilies(f, lists[KINDS.indexOf(nodeMetrics)], scoped[KINDS.indexOf(podMetrics)], nowMs, all);
  return f.all();
}

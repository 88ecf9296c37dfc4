import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { FamilySet, type MetricFamily } from './families.ts';
import { podFamilies } from './kube-state-pods.ts';
import { daemonSetFamilies, deploymentFamilies, hpaFamilies, jobFamilies, replicaSetFamilies, statefulSetFamilies } from './kube-state-workloads.ts';
import { namespaceFamilies, nodeFamilies, serviceFamilies, volumeFamilies } from './kube-state-cluster.ts';
import { usageFamilies } from './usage-metrics.ts';

const RESOURCES = [
  'pods',
  'deployments.apps',
  'replicasets.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'jobs.batch',
  'horizontalpodautoscalers.autoscaling',
  'nodes',
  'namespaces',
  'services',
  'persistentvolumeclaims',
  'persistentvolumes',
] as const;

export interface MetricsScope {
  /** Limit namespaced series to these namespaces and leave out cluster-scoped ones; empty = everything. */
  namespaces: string[];
}

/**
 * A scrape of one virtual cluster: kube-state-metrics' families over its objects plus node-exporter
 * and kubelet-like usage, as a real Prometheus would collect from KSM and the nodes.
 */
export async function clusterMetricFamilies(store: ObjectStore, clusterId: string, nowMs: number, scope: MetricsScope = { namespaces: [] }): Promise<MetricFamily[]> {
  const all = scope.namespaces.length === 0;
  const inScope = (o: KubeObject) => all || scope.namespaces.includes(o.metadata.namespace ?? '');
  const lists = await Promise.all(RESOURCES.map(async (r) => (await store.list(clusterId, r)).items));
  const get = (r: (typeof RESOURCES)[number]) => lists[RESOURCES.indexOf(r)].filter((o) => (['nodes', 'namespaces', 'persistentvolumes'].includes(r) ? all : inScope(o)));
  const f = new FamilySet();
  podFamilies(f, get('pods'));
  deploymentFamilies(f, get('deployments.apps'));
  replicaSetFamilies(f, get('replicasets.apps'));
  statefulSetFamilies(f, get('statefulsets.apps'));
  daemonSetFamilies(f, get('daemonsets.apps'));
  jobFamilies(f, get('jobs.batch'));
  hpaFamilies(f, get('horizontalpodautoscalers.autoscaling'));
  nodeFamilies(f, get('nodes'));
  namespaceFamilies(f, get('namespaces'));
  serviceFamilies(f, get('services'));
  volumeFamilies(f, get('persistentvolumeclaims'), get('persistentvolumes'));
  // Usage needs every pod of a node to price it, even for a namespace-limited scrape (node series are left out then).
  usageFamilies(f, lists[RESOURCES.indexOf('nodes')], get('pods'), nowMs, all);
  return f.all();
}

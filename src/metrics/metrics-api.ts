import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { isoTime } from '../lib/clock.ts';
import { compileRequirements, parseLabelSelector } from '../kube/selectors/labels.ts';
import { latestSamples, type StoredSample } from './read.ts';

const API_VERSION = 'metrics.k8s.io/v1beta1';

/** metrics-server prints cpu in nanocores and memory in KiB ("248312345n", "34560Ki"). */
export function cpuQuantity(milli: number): string {
  return `${Math.round(milli * 1e6)}n`;
}
export function memoryQuantity(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}
const windowText = (ms: number) => `${ms / 1000}s`;

function nodeMetrics(sample: StoredSample, node: KubeObject, nowIso: string): KubeObject {
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: { name: sample.name, creationTimestamp: nowIso, ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: isoTime(sample.at),
    window: windowText(sample.windowMs),
    usage: { cpu: cpuQuantity(sample.cpuMilli), memory: memoryQuantity(sample.memoryBytes) },
  };
}

function podMetrics(sample: StoredSample, pod: KubeObject, nowIso: string): KubeObject {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: { name: sample.name, namespace: sample.namespace, creationTimestamp: nowIso, ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
    timestamp: isoTime(sample.at),
    window: windowText(sample.windowMs),
    containers: (sample.containers ?? []).map((c) => ({ name: c.name, usage: { cpu: cpuQuantity(c.cpuMilli), memory: memoryQuantity(c.memoryBytes) } })),
  };
}

/**
 * The `metrics.k8s.io/v1beta1` API of every cluster (what metrics-server serves): NodeMetrics and
 * PodMetrics from the newest scrape (rendered at the cluster's now), labelled like the objects they measure. Objects gone since the
 * scrape, or started after it, are absent, as with metrics-server. The Kubernetes API routes to it
 * and wraps lists; a label selector that does not parse throws `SelectorParseError`.
 */
export function createMetricsApi(store: ObjectStore) {
  const objectsOf = async (clusterId: string, resource: 'nodes' | 'pods', namespace?: string) =>
    new Map((await store.list(clusterId, resource, namespace ? { namespace } : {})).items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));

  const build = (resource: 'nodes' | 'pods', sample: StoredSample, obj: KubeObject, nowIso: string) =>
    resource === 'nodes' ? nodeMetrics(sample, obj, nowIso) : podMetrics(sample, obj, nowIso);

  return {
    async list(clusterId: string, resource: 'nodes' | 'pods', opts: { namespace?: string; labelSelector?: string } = {}): Promise<KubeObject[]> {
      const selected = compileRequirements(parseLabelSelector(opts.labelSelector ?? ''));
      const kind = resource === 'nodes' ? 'node' : 'pod';
      const now = await store.clusterNow(clusterId);
      const samples = (await latestSamples(store.database, clusterId, kind, now)).filter(
        (s) => kind === 'node' || !opts.namespace || s.namespace === opts.namespace,
      );
      if (samples.length === 0) return [];
      const objects = await objectsOf(clusterId, resource, kind === 'pod' ? opts.namespace : undefined);
      const nowIso = isoTime(now);
      const out: KubeObject[] = [];
      for (const s of samples) {
        const obj = objects.get(`${s.namespace}/${s.name}`);
        if (!obj || !selected(obj.metadata.labels)) continue;
        out.push(build(resource, s, obj, nowIso));
      }
      return out.sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
    },

    async get(clusterId: string, resource: 'nodes' | 'pods', namespace: string, name: string): Promise<KubeObject | undefined> {
      const kind = resource === 'nodes' ? 'node' : 'pod';
      const ns = kind === 'node' ? '' : namespace;
      const now = await store.clusterNow(clusterId);
      const sample = (await latestSamples(store.database, clusterId, kind, now)).find((s) => s.namespace === ns && s.name === name);
      if (!sample) return undefined;
      const obj = await store.get(clusterId, resource, ns, name);
      if (!obj) return undefined;
      return build(resource, sample, obj, isoTime(now));
    },
  };
}

export type KatesMetricsApi = ReturnType<typeof createMetricsApi>;

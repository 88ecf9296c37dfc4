import type { KubeObject } from '../kube/types.ts';
import { kubeletRuns } from '../kubelet/node-state.ts';
import { nodeUsage, podUsage } from '../kubelet/usage.ts';
import { demandFor, type PodDemand } from '../traffic/demand.ts';

export interface ContainerSample {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

export interface UsageSample {
  kind: 'node' | 'pod';
  namespace: string;
  name: string;
  cpuMilli: number;
  memoryBytes: number;
  containers?: ContainerSample[];
}

/** A pod metrics-server can scrape: bound to a live kubelet, running, with a running container. */
function scrapeable(pod: KubeObject, nodes: Map<string, KubeObject>): boolean {
  if (!pod.spec?.nodeName || pod.status?.phase !== 'Running') return false;
  if (!kubeletRuns(nodes.get(pod.spec.nodeName))) return false;
  return (pod.status?.containerStatuses ?? []).some((s: { state?: { running?: unknown } }) => s.state?.running);
}

function nodeReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/**
 * One scrape of a cluster: usage of every running pod (per container) and of every ready node (its
 * pods plus system daemons), from declared usage plus traffic demand. Pure and deterministic.
 */
export function sampleCluster(nodes: KubeObject[], pods: KubeObject[], demand: PodDemand): UsageSample[] {
  const byName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const running = pods.filter((p) => scrapeable(p, byName));
  const out: UsageSample[] = [];
  const podsByNode = new Map<string, KubeObject[]>();
  for (const pod of running) {
    const u = podUsage(pod, demandFor(demand, pod));
    out.push({
      kind: 'pod',
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name!,
      cpuMilli: u.cpuMillis,
      memoryBytes: Math.round(u.memoryBytes),
      containers: u.containers.map((c) => ({ name: c.name, cpuMilli: c.cpuMillis, memoryBytes: Math.round(c.memoryBytes) })),
    });
    const list = podsByNode.get(pod.spec.nodeName) ?? [];
    list.push(pod);
    podsByNode.set(pod.spec.nodeName, list);
  }
  for (const node of nodes) {
    if (!kubeletRuns(node) || !nodeReady(node)) continue;
    const u = nodeUsage(podsByNode.get(node.metadata.name!) ?? [], (p) => demandFor(demand, p));
    out.push({ kind: 'node', namespace: '', name: node.metadata.name!, cpuMilli: u.cpuMillis, memoryBytes: Math.round(u.memoryBytes) });
  }
  return out;
}

import type { KubeObject } from '../../kube/types.ts';
import { nodeUsage, podUsage } from '../../kubelet/usage.ts';
import { parseQuantityInt } from '../../lib/quantity.ts';
import { isNodeReady } from '../object-facts.ts';
import { unixSeconds, type FamilySet } from './families.ts';

/**
 * What a node exporter and the kubelet's resource metrics endpoint would report for the simulated
 * machines: memory totals and working sets, and CPU as cumulative seconds (usage × time running, so
 * `rate()` gives the declared usage back).
 */
export function usageFamilies(f: FamilySet, nodes: KubeObject[], pods: KubeObject[], nowMs: number, includeNodes: boolean): void {
  const byNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    byNode.set(node, [...(byNode.get(node) ?? []), p]);
  }
  if (includeNodes) {
    for (const n of nodes) {
      if (!isNodeReady(n)) continue;
      const l = { node: n.metadata.name! };
      const capacity = bytesOf(n.status?.capacity?.memory);
      const usage = nodeUsage(byNode.get(l.node) ?? []);
      f.add('node_memory_MemTotal_bytes', 'Memory information field MemTotal_bytes.', l, capacity);
      f.add('node_memory_MemAvailable_bytes', 'Memory information field MemAvailable_bytes.', l, Math.max(0, capacity - usage.memoryBytes));
      f.add('node_memory_working_set_bytes', 'Current working set of the node in bytes', l, usage.memoryBytes);
      f.add('kates_node_cpu_usage_cores', 'CPU the node uses now (its pods plus system daemons), in cores.', l, usage.cpuMillis / 1000);
    }
  }
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || !byNode.get(node)?.includes(p)) continue;
    const base = { namespace: p.metadata.namespace ?? '', pod: p.metadata.name!, node };
    const u = podUsage(p);
    let podCpuSeconds = 0;
    for (const c of u.containers) {
      const status = (p.status?.containerStatuses ?? []).find((s: { name: string }) => s.name === c.name);
      const since = unixSeconds(status?.state?.running?.startedAt);
      const seconds = since === undefined ? 0 : Math.max(0, nowMs / 1000 - since) * (c.cpuMillis / 1000);
      podCpuSeconds += seconds;
      f.add(
        'container_cpu_usage_seconds_total',
        'Cumulative cpu time consumed by the container in core-seconds',
        { ...base, container: c.name },
        seconds,
        'counter',
      );
      f.add('container_memory_working_set_bytes', 'Current working set of the container in bytes', { ...base, container: c.name }, c.memoryBytes);
    }
    f.add('pod_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the pod in core-seconds', base, podCpuSeconds, 'counter');
    f.add('pod_memory_working_set_bytes', 'Current working set of the pod in bytes', base, u.memoryBytes);
  }
}

function bytesOf(q: unknown): number {
  try {
    return typeof q === 'string' || typeof q === 'number' ? parseQuantityInt(q) : 0;
  } catch {
    return 0;
  }
}

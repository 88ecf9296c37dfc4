import type { Container } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { parseCpuMillis, parseQuantityInt } from '../lib/quantity.ts';
import { ANNOTATION, annotationFor } from './behavior.ts';
import { stableBucket } from '../lib/digest.ts';

/** Extra demand on a container beyond what the pod declares (the traffic model adds it). */
export interface ExtraDemand {
  cpuMillis?: number;
  memoryBytes?: number;
}

export interface ContainerUsage {
  name: string;
  /** What the process would use if nothing capped it. */
  cpuDemandMillis: number;
  memoryDemandBytes: number;
  /** What a metrics pipeline observes: cpu capped at its limit, memory at its limit. */
  cpuMillis: number;
  memoryBytes: number;
  /** CPU demand above the limit: the container is throttled, never killed for it. */
  cpuThrottled: boolean;
  /** Memory demand above the limit: the kernel OOM-kills the container (exit 137). */
  overMemoryLimit: boolean;
}

const MiB = 1024 * 1024;

/** A small idle footprint so undeclared containers still show up in `kubectl top` (1–4m, 4–31 MiB). */
function idleUsage(pod: KubeObject, name: string): { cpu: number; memory: number } {
  const key = `${pod.metadata.namespace}/${pod.metadata.name}/${name}`;
  return { cpu: 1 + stableBucket(`cpu:${key}`, 4), memory: (4 + stableBucket(`mem:${key}`, 28)) * MiB };
}

// Usage is sampled for every pod every few seconds: remember what each quantity string means.
const memo = new Map<string, number | undefined>();

function quantityOr(v: string | number | undefined, parse: (q: string | number) => number): number | undefined {
  if (v === undefined) return undefined;
  const key = `${parse === parseCpuMillis ? 'c' : 'm'}${v}`;
  if (memo.has(key)) return memo.get(key);
  let n: number | undefined;
  try {
    n = parse(v);
  } catch {
    n = undefined;
  }
  if (memo.size > 50_000) memo.clear();
  memo.set(key, n);
  return n;
}

/**
 * A container's usage: declared by `kates.dev/cpu-usage` / `kates.dev/memory-usage` (or the idle
 * footprint), plus any extra demand, capped at its limits. Pure: the same pod and demand always
 * give the same numbers, so metrics, HPA and OOM decisions agree across workers.
 */
export function containerUsage(pod: KubeObject, container: Container | undefined, extra: ExtraDemand = {}): ContainerUsage {
  const name = container?.name ?? '';
  const declaredCpu = quantityOr(annotationFor(pod, ANNOTATION.cpuUsage, name), parseCpuMillis);
  const declaredMem = quantityOr(annotationFor(pod, ANNOTATION.memoryUsage, name), parseQuantityInt);
  const idle = declaredCpu === undefined || declaredMem === undefined ? idleUsage(pod, name) : undefined;
  const cpuDemand = (declaredCpu ?? idle!.cpu) + (extra.cpuMillis ?? 0);
  const memDemand = (declaredMem ?? idle!.memory) + (extra.memoryBytes ?? 0);
  const limits = container?.resources?.limits ?? {};
  const cpuLimit = quantityOr(limits.cpu, parseCpuMillis);
  const memLimit = quantityOr(limits.memory, parseQuantityInt);
  return {
    name,
    cpuDemandMillis: cpuDemand,
    memoryDemandBytes: memDemand,
    cpuMillis: cpuLimit !== undefined ? Math.min(cpuDemand, cpuLimit) : cpuDemand,
    memoryBytes: memLimit !== undefined ? Math.min(memDemand, memLimit) : memDemand,
    cpuThrottled: cpuLimit !== undefined && cpuDemand > cpuLimit,
    overMemoryLimit: memLimit !== undefined && memDemand > memLimit,
  };
}

export interface PodUsage {
  containers: ContainerUsage[];
  cpuMillis: number;
  memoryBytes: number;
}

/** Usage of the pod's running containers (waiting and terminated ones use nothing). */
export function podUsage(pod: KubeObject, extra: Record<string, ExtraDemand> = {}): PodUsage {
  const running = new Set<string>();
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    if (s.state?.running) running.add(s.name);
  }
  const spec = pod.spec ?? {};
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])]
    .filter((c) => running.has(c.name))
    .map((c) => containerUsage(pod, c, extra[c.name]));
  return {
    containers,
    cpuMillis: containers.reduce((a, c) => a + c.cpuMillis, 0),
    memoryBytes: containers.reduce((a, c) => a + c.memoryBytes, 0),
  };
}

/** What the node's system daemons (kubelet, containerd, OS) use on top of its pods. */
export const NODE_SYSTEM_USAGE = { cpuMillis: 60, memoryBytes: 400 * MiB };

/** A node's usage: its pods' usage plus the system's. */
export function nodeUsage(
  pods: KubeObject[],
  extra: (pod: KubeObject) => Record<string, ExtraDemand> = () => ({}),
): { cpuMillis: number; memoryBytes: number } {
  let cpu = NODE_SYSTEM_USAGE.cpuMillis;
  let mem = NODE_SYSTEM_USAGE.memoryBytes;
  for (const p of pods) {
    const u = podUsage(p, extra(p));
    cpu += u.cpuMillis;
    mem += u.memoryBytes;
  }
  return { cpuMillis: cpu, memoryBytes: mem };
}

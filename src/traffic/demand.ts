import type { Container, PodCondition } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import type { ExtraDemand } from '../kubelet/usage.ts';
import { parseQuantity } from '../lib/quantity.ts';
import { serviceRpsAt } from './profile.ts';
import type { ServiceTraffic, TrafficSpec } from './types.ts';

/** Where one Service's load goes right now. */
export interface ServiceLoad {
  namespace: string;
  name: string;
  rps: number;
  /** Ready endpoints sharing the load; 0 means every request fails (no backend). */
  endpoints: number;
  rpsPerEndpoint: number;
  /** False when the Service does not exist (its load goes nowhere). */
  found: boolean;
}

/** Extra demand per pod (`namespace/name`) and container name. */
export type PodDemand = Map<string, Record<string, ExtraDemand>>;

export interface TrafficDemand {
  pods: PodDemand;
  services: ServiceLoad[];
}

const podKey = (p: KubeObject) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/** Ready endpoints as kube-proxy balances over them: running, Ready, not terminating, with an IP. */
export function readyBackends(service: KubeObject, pods: KubeObject[]): KubeObject[] {
  const selector: Record<string, string> | undefined = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const ns = service.metadata.namespace ?? 'default';
  return pods.filter((p) => {
    if ((p.metadata.namespace ?? 'default') !== ns || p.metadata.deletionTimestamp || !p.status?.podIP) return false;
    if (p.status?.phase !== 'Running') return false;
    if (!(p.status?.conditions ?? []).some((c: PodCondition) => c.type === 'Ready' && c.status === 'True')) return false;
    const labels = p.metadata.labels ?? {};
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

/** The container that serves the Service: the one exposing its first target port, else the first container. */
export function servingContainer(service: KubeObject, pod: KubeObject): string | undefined {
  const containers: Container[] = pod.spec?.containers ?? [];
  const target = service.spec?.ports?.[0]?.targetPort ?? service.spec?.ports?.[0]?.port;
  if (target !== undefined) {
    const byPort = containers.find((c) =>
      (c.ports ?? []).some((p) => (typeof target === 'number' || /^\d+$/.test(String(target)) ? p.containerPort === Number(target) : p.name === target)),
    );
    if (byPort) return byPort.name;
  }
  return containers[0]?.name;
}

function perRequest(traffic: ServiceTraffic): { cpuMillis: number; memoryBytes: number } {
  const safe = (q: string | undefined, scale: number) => {
    if (q === undefined) return 0;
    try {
      return Math.max(0, parseQuantity(q) * scale);
    } catch {
      return 0;
    }
  };
  return { cpuMillis: safe(traffic.cpuPerRequest, 1000), memoryBytes: safe(traffic.memoryPerRequest, 1) };
}

/**
 * Spreads each Service's requests evenly over its ready endpoints (kube-proxy's random balancing, on
 * average) and turns them into extra CPU and memory on the serving container. Pure.
 */
export function computeTrafficDemand(spec: TrafficSpec, services: KubeObject[], pods: KubeObject[], nowMs: number): TrafficDemand {
  const byName = new Map(services.map((s) => [`${s.metadata.namespace ?? 'default'}/${s.metadata.name}`, s]));
  const demand: PodDemand = new Map();
  const loads: ServiceLoad[] = [];
  for (const t of spec.services) {
    const rps = serviceRpsAt(t, nowMs);
    const service = byName.get(`${t.namespace}/${t.name}`);
    const backends = service ? readyBackends(service, pods) : [];
    const share = backends.length ? rps / backends.length : 0;
    loads.push({ namespace: t.namespace, name: t.name, rps, endpoints: backends.length, rpsPerEndpoint: share, found: Boolean(service) });
    if (!service || share === 0) continue;
    const cost = perRequest(t);
    for (const pod of backends) {
      const container = servingContainer(service, pod);
      if (!container) continue;
      const perPod = demand.get(podKey(pod)) ?? {};
      const prev = perPod[container] ?? {};
      perPod[container] = {
        cpuMillis: (prev.cpuMillis ?? 0) + share * cost.cpuMillis,
        memoryBytes: Math.round((prev.memoryBytes ?? 0) + share * cost.memoryBytes),
      };
      demand.set(podKey(pod), perPod);
    }
  }
  return { pods: demand, services: loads };
}

/** The extra demand of one pod, for `podUsage(pod, demandOf(pod))`. */
export function demandFor(demand: PodDemand, pod: KubeObject): Record<string, ExtraDemand> {
  return demand.get(podKey(pod)) ?? {};
}

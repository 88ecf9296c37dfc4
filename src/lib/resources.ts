/* eslint-disable @typescript-eslint/no-explicit-any */
import { parseCpuMillis, parseQuantityInt } from './quantity.ts';

/**
 * Resource amounts as integers: `cpu` in millicores, everything else (memory, ephemeral-storage,
 * pods, hugepages, extended resources such as nvidia.com/gpu) in base units.
 */
export type ResourceList = Record<string, number>;

/** What the scheduler assumes for scoring when a container states no cpu / memory request. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
/** kubelet's default `--max-pods`. */
export const DEFAULT_MAX_PODS = 110;

/** Converts a Kubernetes resource map ({cpu: "500m", memory: "1Gi"}) to integers. */
export function toResourceList(raw: Record<string, unknown> | undefined | null): ResourceList {
  const out: ResourceList = {};
  if (!raw) return out;
  for (const [name, q] of Object.entries(raw)) {
    if (typeof q !== 'string' && typeof q !== 'number') continue;
    out[name] = name === 'cpu' ? parseCpuMillis(q) : parseQuantityInt(q);
  }
  return out;
}

/** A container's requests; a resource with only a limit requests its limit (API defaulting). */
export function containerRequests(container: any): ResourceList {
  const requests = toResourceList(container?.resources?.requests);
  const limits = toResourceList(container?.resources?.limits);
  for (const [name, v] of Object.entries(limits)) if (!(name in requests)) requests[name] = v;
  return requests;
}

export function addInto(target: ResourceList, add: ResourceList, factor = 1): ResourceList {
  for (const [name, v] of Object.entries(add)) target[name] = (target[name] ?? 0) + v * factor;
  return target;
}

function maxInto(target: ResourceList, other: ResourceList): ResourceList {
  for (const [name, v] of Object.entries(other)) if (v > (target[name] ?? 0)) target[name] = v;
  return target;
}

export interface PodRequestOptions {
  /**
   * Give every container without a cpu / memory request the scheduler's non-zero defaults
   * (100m, 200Mi). The scheduler scores with these; it filters without them.
   */
  nonMissing?: boolean;
}

/**
 * The resources a pod reserves on its node, as the scheduler and kubelet admission count them:
 * max(Σ app containers + sidecars, max over init containers of (init + sidecars started before it))
 * plus `spec.overhead`. Pod-level `spec.resources.requests` replace the container sums they name.
 */
export function podRequests(pod: any, opts: PodRequestOptions = {}): ResourceList {
  const spec = pod?.spec ?? pod ?? {};
  const podLevel = toResourceList(spec.resources?.requests);
  const withDefaults = (c: any): ResourceList => {
    const r = containerRequests(c);
    if (opts.nonMissing) {
      if (!('cpu' in r) && !('cpu' in podLevel)) r.cpu = DEFAULT_MILLI_CPU_REQUEST;
      if (!('memory' in r) && !('memory' in podLevel)) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  };
  const total: ResourceList = {};
  for (const c of spec.containers ?? []) addInto(total, withDefaults(c));
  const sidecars: ResourceList = {};
  const initPeak: ResourceList = {};
  for (const c of spec.initContainers ?? []) {
    const r = withDefaults(c);
    if (c?.restartPolicy === 'Always') {
      // A sidecar keeps running next to the app containers and every later init container.
      addInto(total, r);
      addInto(sidecars, r);
      maxInto(initPeak, sidecars);
    } else {
      maxInto(initPeak, addInto({ ...r }, sidecars));
    }
  }
  maxInto(total, initPeak);
  for (const [name, v] of Object.entries(podLevel)) total[name] = v;
  addInto(total, toResourceList(spec.overhead));
  return total;
}

/** A node's allocatable resources (capacity when allocatable is absent); pods defaults to 110. */
export function nodeAllocatable(node: any): ResourceList {
  const status = node?.status ?? {};
  const out = toResourceList(status.allocatable ?? status.capacity);
  out.pods ??= DEFAULT_MAX_PODS;
  return out;
}

/** BestEffort: no container (init included) sets a cpu or memory request or limit. */
export function isBestEffort(pod: any): boolean {
  const spec = pod?.spec ?? {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (req.cpu !== undefined || req.memory !== undefined || lim.cpu !== undefined || lim.memory !== undefined) return false;
  }
  const podLevel = spec.resources ?? {};
  return podLevel.requests?.cpu === undefined && podLevel.requests?.memory === undefined;
}

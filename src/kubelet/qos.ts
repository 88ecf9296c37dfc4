import type { Pod, PodSpec } from '../kube/objects.ts';
import { isBestEffort } from '../lib/resources.ts';
import { parseCpuMillis, parseQuantityInt } from '../lib/quantity.ts';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/**
 * status.qosClass (k8s-behavior §8.6): Guaranteed when every container, init included, has cpu and
 * memory limits and its requests (defaulting to the limits) equal them; BestEffort when none sets
 * any cpu/memory request or limit; Burstable otherwise.
 */
export function qosClass(pod: Pod): QosClass {
  if (isBestEffort(pod)) return 'BestEffort';
  const spec: Partial<PodSpec> = pod?.spec ?? {};
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const guaranteed = all.every((c) => {
    const lim = c?.resources?.limits ?? {};
    const req = c?.resources?.requests ?? {};
    if (lim.cpu === undefined || lim.memory === undefined) return false;
    const cpuReq = req.cpu ?? lim.cpu;
    const memReq = req.memory ?? lim.memory;
    return parseCpuMillis(cpuReq) === parseCpuMillis(lim.cpu) && parseQuantityInt(memReq) === parseQuantityInt(lim.memory);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

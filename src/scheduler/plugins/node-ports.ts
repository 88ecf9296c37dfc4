import { unschedulable, type FilterPlugin } from '../plugin.ts';
import type { HostPort } from '../types.ts';

const WILDCARD = '0.0.0.0';

/** Same port and protocol conflict when the IPs are equal or either side listens on every IP. */
export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.hostIP === b.hostIP || a.hostIP === WILDCARD || b.hostIP === WILDCARD;
}

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  preFilter(_state, pod) {
    return pod.hostPorts.length === 0 ? 'skip' : undefined;
  },
  filter(_state, pod, node) {
    for (const want of pod.hostPorts) {
      for (const used of node.usedPorts) {
        if (portsConflict(want, used)) return unschedulable("node(s) didn't have free ports for the requested pod ports");
      }
    }
    return null;
  },
};

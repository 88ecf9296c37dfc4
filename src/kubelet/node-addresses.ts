import type { KubeObject } from '../kube/types.ts';
import { formatCidr, formatIPv4, parseCidr, parseIPv4, subnet } from '../lib/cidr.ts';
import { CLUSTER_POD_CIDR, FIRST_NODE_POD_SUBNET, NODE_NETWORK_CIDR, NODE_POD_CIDR_PREFIX } from '../kube/cluster-network.ts';

const SUBNETS = CLUSTER_POD_CIDR.size / 2 ** (32 - NODE_POD_CIDR_PREFIX);
/** Node InternalIPs start here in the node network (below are the gateway and the control plane). */
const FIRST_NODE_IP_OFFSET = 10;

function subnetIndex(podCIDR: string): number {
  const c = parseCidr(podCIDR);
  const raw = (c.base - CLUSTER_POD_CIDR.base) / c.size;
  return (raw - FIRST_NODE_POD_SUBNET + SUBNETS) % SUBNETS;
}

/**
 * Gives nodes that lack them a pod CIDR (node IPAM: the lowest free /24) and an InternalIP,
 * keeping what nodes already have. Returns the nodes that changed.
 */
export function assignNodeAddresses(nodes: KubeObject[]): KubeObject[] {
  const usedSubnets = new Set<number>();
  const usedIps = new Set<number>();
  for (const n of nodes) {
    if (n.spec?.podCIDR) usedSubnets.add(subnetIndex(n.spec.podCIDR));
    const ip = internalIP(n);
    if (ip) usedIps.add(parseIPv4(ip) ?? -1);
  }
  let nextSubnet = 0;
  let nextIp = NODE_NETWORK_CIDR.base + FIRST_NODE_IP_OFFSET;
  const changed: KubeObject[] = [];
  for (const n of [...nodes].sort(
    (a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!),
  )) {
    let next: KubeObject | undefined;
    if (!n.spec?.podCIDR) {
      while (usedSubnets.has(nextSubnet)) nextSubnet++;
      if (nextSubnet >= SUBNETS) continue;
      usedSubnets.add(nextSubnet);
      const cidr = formatCidr(subnet(CLUSTER_POD_CIDR, NODE_POD_CIDR_PREFIX, (FIRST_NODE_POD_SUBNET + nextSubnet) % SUBNETS));
      next = structuredClone(n);
      next.spec = { ...(next.spec ?? {}), podCIDR: cidr, podCIDRs: [cidr] };
    }
    if (!internalIP(n)) {
      while (usedIps.has(nextIp)) nextIp++;
      usedIps.add(nextIp);
      next ??= structuredClone(n);
      next.status ??= {};
      next.status.addresses = [
        { type: 'InternalIP', address: formatIPv4(nextIp) },
        { type: 'Hostname', address: n.metadata.name },
      ];
    }
    if (next) changed.push(next);
  }
  return changed;
}

export function internalIP(node: KubeObject): string | undefined {
  return node.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address;
}

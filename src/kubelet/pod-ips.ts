import type { KubeObject } from '../kube/types.ts';
import { formatIPv4, parseCidr, parseIPv4 } from '../lib/cidr.ts';

/**
 * Host-local IPAM over a node's `spec.podCIDR`: the network address, the gateway (.1) and the
 * broadcast address are never handed out; other addresses go to pods, lowest free first.
 */
export class PodIpPool {
  private readonly used = new Set<number>();
  private readonly first: number;
  private readonly last: number;
  private nextCandidate: number;

  constructor(podCIDR: string) {
    const c = parseCidr(podCIDR);
    this.first = c.base + 2;
    this.last = c.base + c.size - 2;
    this.nextCandidate = this.first;
  }

  markUsed(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.add(n);
  }

  allocate(): string {
    for (let n = this.nextCandidate; n <= this.last; n++) {
      if (!this.used.has(n)) {
        this.used.add(n);
        this.nextCandidate = n + 1;
        return formatIPv4(n);
      }
    }
    throw new Error('pod CIDR exhausted');
  }
}

/** Pods that hold an IP on their node: bound, with an IP, and not finished. */
export function holdsPodIP(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.status?.podIP) && phase !== 'Succeeded' && phase !== 'Failed' && !pod.spec?.hostNetwork;
}

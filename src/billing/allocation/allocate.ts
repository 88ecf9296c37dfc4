import type { IntervalAttributes, UsageInterval } from '../intervals.ts';
import { splitByWeights } from './split.ts';

const HOUR_MS = 3_600_000;
const GiB = 2n ** 30n;
/** OpenCost's default per-resource prices (configs/default.json, "based on GCP us-central1"): $0.031611
 * per vCPU-hour and $0.004237 per GiB-hour. Only their ratio is used, to split a node's price into its
 * CPU and memory parts (OpenCost spec, Appendix A). */
const CPU_WEIGHT = 31_611n;
const GIB_WEIGHT = 4_237n;

export const IDLE = '__idle__';
export const UNALLOCATED = '__unallocated__';

export type AllocationGroupBy = 'namespace' | 'workload' | `label:${string}`;

/** A usage record as allocation reads it. */
export interface AllocationRecord {
  hourStart: number;
  kind: string;
  subject: string;
  amountMicro: number;
  billedMs: number;
  attributes: Record<string, unknown>;
  /** End of what the record covers when the hour is not over (an estimated current hour). */
  windowEndMs?: number;
}

export interface PodUsage {
  cpuMilli: number;
  memoryBytes: number;
}

export interface AllocateInput {
  records: AllocationRecord[];
  /** Pod intervals of the cluster touching the window. */
  pods: UsageInterval<'pod'>[];
  groupBy: AllocationGroupBy;
  /** Average usage of a pod in an hour, when metrics have it; requests alone are used otherwise. */
  usage?: (podSubject: string, hourStart: number) => PodUsage | undefined;
  /** `weighted` spreads idle cost over the allocations in proportion to their CPU and memory cost. */
  shareIdle?: 'none' | 'weighted';
}

export interface Allocation {
  name: string;
  cpuMicro: number;
  memoryMicro: number;
  storageMicro: number;
  loadBalancerMicro: number;
  /** Pod-billed tiers (Autopilot): the pod charges themselves. */
  podMicro: number;
  sharedIdleMicro: number;
  totalMicro: number;
}

export interface AllocationResult {
  allocations: Allocation[];
  idle: { cpuMicro: number; memoryMicro: number; totalMicro: number };
  /** The control-plane fee: cluster overhead, never a workload's. */
  overheadMicro: number;
  totalMicro: number;
}

type PodAttrs = IntervalAttributes['pod'];

/**
 * OpenCost-style allocation of one cluster's rated records: each node-hour's price is split into CPU
 * and memory by OpenCost's default price ratio, then shared among the pods on that node by
 * max(request, usage) × time; what no pod claims is idle. Volumes go to the pods mounting their claim
 * (or the claim's namespace), load balancers to their Service's namespace, Autopilot charges to their
 * pod, the control plane to overhead. Every record is split exactly, so the sum of all allocations,
 * idle and overhead equals the sum of the records.
 */
export function allocate(input: AllocateInput): AllocationResult {
  const groups = new Map<string, Allocation>();
  const idle = { cpuMicro: 0, memoryMicro: 0, totalMicro: 0 };
  let overheadMicro = 0;
  const podsByNode = groupPodsByNode(input.pods);
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g)
      groups.set(name, (g = { name, cpuMicro: 0, memoryMicro: 0, storageMicro: 0, loadBalancerMicro: 0, podMicro: 0, sharedIdleMicro: 0, totalMicro: 0 }));
    return g;
  };
  const keyOf = (a: PodAttrs) => groupKey(input.groupBy, a);

  for (const r of input.records) {
    const hourEnd = Math.min(r.windowEndMs ?? r.hourStart + HOUR_MS, r.hourStart + HOUR_MS);
    switch (r.kind) {
      case 'cluster':
        overheadMicro += r.amountMicro;
        break;
      case 'node': {
        const vcpu = BigInt(Number(r.attributes.vcpu ?? 0));
        const memGiB = BigInt(Number(r.attributes.memoryGiB ?? 0));
        const [cpuCost, memCost] = splitByWeights(r.amountMicro, [vcpu * CPU_WEIGHT, memGiB * GIB_WEIGHT]);
        const pods = (podsByNode.get(r.subject) ?? []).map((p) => ({ p, ms: BigInt(overlap(p, r.hourStart, hourEnd)) })).filter((x) => x.ms > 0n);
        const used = pods.map(({ p }) => input.usage?.(p.subject, r.hourStart));
        const cpuW = pods.map(({ p, ms }, i) => BigInt(Math.max(p.attributes.cpuMilli, used[i]?.cpuMilli ?? 0)) * ms);
        const memW = pods.map(({ p, ms }, i) => BigInt(Math.max(p.attributes.memoryBytes, used[i]?.memoryBytes ?? 0)) * ms);
        const billed = BigInt(r.billedMs);
        const cpuParts = shareWithIdle(cpuCost, cpuW, vcpu * 1000n * billed);
        const memParts = shareWithIdle(memCost, memW, memGiB * GiB * billed);
        pods.forEach(({ p }, i) => {
          const g = group(keyOf(p.attributes));
          g.cpuMicro += cpuParts[i];
          g.memoryMicro += memParts[i];
        });
        idle.cpuMicro += cpuParts[pods.length];
        idle.memoryMicro += memParts[pods.length];
        break;
      }
      case 'volume': {
        const ns = String(r.attributes.claimNamespace ?? '');
        const claim = String(r.attributes.claimName ?? '');
        const mounting = input.pods
          .filter((p) => claim && p.attributes.namespace === ns && p.attributes.claims?.includes(claim))
          .map((p) => ({ p, ms: BigInt(overlap(p, r.hourStart, hourEnd)) }))
          .filter((x) => x.ms > 0n);
        if (mounting.length > 0) {
          splitByWeights(
            r.amountMicro,
            mounting.map((m) => m.ms),
          ).forEach((part, i) => (group(keyOf(mounting[i].p.attributes)).storageMicro += part));
        } else {
          group(ownerKey(input.groupBy, ns, `PersistentVolumeClaim/${claim || r.subject}`)).storageMicro += r.amountMicro;
        }
        break;
      }
      case 'loadbalancer':
        group(
          ownerKey(input.groupBy, String(r.attributes.namespace ?? ''), `${String(r.attributes.kind ?? 'Service')}/${String(r.attributes.name ?? r.subject)}`),
        ).loadBalancerMicro += r.amountMicro;
        break;
      default:
        // pod-cpu, pod-memory, pod-ephemeral: Autopilot bills the pod itself
        group(keyOf(r.attributes as unknown as PodAttrs)).podMicro += r.amountMicro;
    }
  }

  idle.totalMicro = idle.cpuMicro + idle.memoryMicro;
  const allocations = [...groups.values()];
  if (input.shareIdle === 'weighted' && allocations.length > 0) {
    const weights = allocations.map((a) => BigInt(a.cpuMicro + a.memoryMicro));
    if (weights.some((w) => w > 0n)) {
      splitByWeights(idle.totalMicro, weights).forEach((part, i) => (allocations[i].sharedIdleMicro = part));
      idle.cpuMicro = idle.memoryMicro = idle.totalMicro = 0;
    }
  }
  for (const a of allocations) a.totalMicro = a.cpuMicro + a.memoryMicro + a.storageMicro + a.loadBalancerMicro + a.podMicro + a.sharedIdleMicro;
  allocations.sort((a, b) => b.totalMicro - a.totalMicro || a.name.localeCompare(b.name));
  const totalMicro = allocations.reduce((s, a) => s + a.totalMicro, 0) + idle.totalMicro + overheadMicro;
  return { allocations, idle, overheadMicro, totalMicro };
}

/** Parts for each weight plus a last part for idle: what the weights leave of the capacity. When the
 * pods ask for more than the node has, they share all of it and nothing is idle. */
function shareWithIdle(amount: number, weights: bigint[], capacity: bigint): number[] {
  const asked = weights.reduce((a, b) => a + b, 0n);
  const idleWeight = capacity > asked ? capacity - asked : 0n;
  return splitByWeights(amount, [...weights, asked === 0n && idleWeight === 0n ? 1n : idleWeight]);
}

function overlap(i: UsageInterval, from: number, to: number): number {
  return Math.max(0, Math.min(i.endedAt ?? to, to) - Math.max(i.startedAt, from));
}

function groupPodsByNode(pods: UsageInterval<'pod'>[]): Map<string, UsageInterval<'pod'>[]> {
  const byNode = new Map<string, UsageInterval<'pod'>[]>();
  for (const p of pods) {
    if (!p.attributes.node) continue;
    const list = byNode.get(p.attributes.node) ?? [];
    list.push(p);
    byNode.set(p.attributes.node, list);
  }
  return byNode;
}

function groupKey(groupBy: AllocationGroupBy, a: Pick<PodAttrs, 'namespace' | 'name' | 'workload' | 'labels'>): string {
  if (groupBy === 'namespace') return a.namespace;
  if (groupBy === 'workload') return `${a.namespace}/${a.workload ?? `Pod/${a.name}`}`;
  return a.labels?.[groupBy.slice('label:'.length)] ?? UNALLOCATED;
}

/** The key of something that is not a pod (a claim nobody mounts, a Service's load balancer). */
function ownerKey(groupBy: AllocationGroupBy, namespace: string, owner: string): string {
  if (groupBy === 'namespace') return namespace || UNALLOCATED;
  if (groupBy === 'workload') return namespace ? `${namespace}/${owner}` : UNALLOCATED;
  return UNALLOCATED;
}

import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import { isoTime } from '../lib/clock.ts';
import { replaceCondition } from '../lib/conditions.ts';
import type { WriteOp } from '../store/objects.ts';
import { failedAt, leaseRenewTime } from '../kube/registry/node-heartbeat-view.ts';
import { nodesAndLeases } from './node-status.ts';
import { setCondition } from './pod-status.ts';
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from './tolerations.ts';
import type { Taint } from '../kube/tolerations.ts';

const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** `--node-monitor-grace-period`: no heartbeat for this long and the node is Unknown (40 s, k8s-quick). */
export const NODE_MONITOR_GRACE_MS = 40_000;

const CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

/**
 * The node lifecycle controller: a node whose kubelet stopped heartbeating for the grace period
 * gets every condition Unknown ("Kubelet stopped posting node status."), the unreachable taints
 * (NoSchedule for the scheduler, NoExecute for taint-based eviction) and its pods marked not
 * ready. A node whose Ready condition is True again loses those taints. Healthy nodes are never
 * polled: a failure is a node write, and the pass then asks to run again when the grace period
 * after the last Lease renewal ends.
 */
export const nodeLifecycleController: Controller = {
  name: 'node-lifecycle',
  watches: ['nodes'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'node-controller');
    const now = pass.nowMs;
    const { nodes, leases } = await nodesAndLeases(ctx.store, ctx.clusterId);
    const ops: WriteOp[] = [];
    const lostNodes: KubeObject[] = [];

    for (const node of nodes) {
      const name = node.metadata.name!;
      const stoppedAt = failedAt(node);
      if (stoppedAt !== undefined) {
        const lease = leases.get(name);
        const lastBeat = Math.min((lease && leaseRenewTime(lease, node, now)) ?? stoppedAt, stoppedAt);
        const unreachableAt = lastBeat + NODE_MONITOR_GRACE_MS;
        if (unreachableAt > now) {
          pass.wakeAt(unreachableAt);
          continue;
        }
        const marked = markUnknown(node, now);
        if (marked) {
          ops.push({ op: 'update', resource: 'nodes', object: marked });
          lostNodes.push(marked);
        }
        continue;
      }
      const cleared = syncReadinessTaints(node, now);
      if (cleared) ops.push({ op: 'update', resource: 'nodes', object: cleared });
    }

    await pass.commit(ops);
    for (const node of lostNodes) await pass.event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    await markPodsNotReady(pass, nodes);
    return pass.result();
  },
};

/** Every condition Unknown and the unreachable taints; undefined when already so. */
function markUnknown(node: KubeObject, now: number): KubeObject | undefined {
  const next = structuredClone(node);
  next.status ??= {};
  let conditions: Array<Record<string, string>> = next.status.conditions ?? [];
  let changed = false;
  for (const type of CONDITIONS) {
    const c = conditions.find((x) => x.type === type) ?? { type, lastHeartbeatTime: isoTime(now) };
    if (c.status === 'Unknown') continue;
    conditions = replaceCondition(conditions, {
      ...c,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: isoTime(now),
    });
    changed = true;
  }
  next.status.conditions = conditions;
  const taints = withTaints(next, UNREACHABLE_TAINT, now, [NOT_READY_TAINT]);
  if (taints) {
    next.spec = { ...(next.spec ?? {}), taints };
    changed = true;
  }
  return changed ? next : undefined;
}

/**
 * Taints follow the node's state (TaintNodesByCondition): Ready False → not-ready, Unknown →
 * unreachable (the failure path), True → neither; `spec.unschedulable` (kubectl cordon) →
 * `node.kubernetes.io/unschedulable:NoSchedule`.
 */
function syncReadinessTaints(node: KubeObject, now: number): KubeObject | undefined {
  const ready = node.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status;
  let taints: Taint[] = node.spec?.taints ?? [];
  if (ready !== undefined && ready !== 'Unknown') {
    const wanted = ready === 'False' ? NOT_READY_TAINT : undefined;
    const others = [NOT_READY_TAINT, UNREACHABLE_TAINT].filter((k) => k !== wanted);
    const withNode = { ...node, spec: { ...(node.spec ?? {}), taints } };
    taints = (wanted ? withTaints(withNode, wanted, now, others) : withoutTaints(withNode, others)) ?? taints;
  }
  const cordoned = node.spec?.unschedulable === true;
  const hasCordonTaint = taints.some((t) => t.key === UNSCHEDULABLE_TAINT);
  if (cordoned && !hasCordonTaint) taints = [...taints, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: isoTime(now) }];
  if (!cordoned && hasCordonTaint) taints = taints.filter((t) => t.key !== UNSCHEDULABLE_TAINT);
  if (JSON.stringify(taints) === JSON.stringify(node.spec?.taints ?? [])) return undefined;
  const next = structuredClone(node);
  next.spec = { ...(next.spec ?? {}), taints };
  return next;
}

function withTaints(node: KubeObject, key: string, now: number, remove: string[]): Taint[] | undefined {
  const current: Taint[] = node.spec?.taints ?? [];
  const kept = current.filter((t) => !remove.includes(t.key));
  const missing = (['NoSchedule', 'NoExecute'] as const).filter((effect) => !kept.some((t) => t.key === key && t.effect === effect));
  if (missing.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...missing.map((effect) => ({ key, effect, timeAdded: isoTime(now) }))];
}

function withoutTaints(node: KubeObject, keys: string[]): Taint[] | undefined {
  const current: Taint[] = node.spec?.taints ?? [];
  const kept = current.filter((t) => !keys.includes(t.key));
  return kept.length === current.length ? undefined : kept;
}

/** MarkPodsNotReady: pods of an Unknown node are no longer Ready, so Services stop sending them traffic. */
async function markPodsNotReady(pass: Pass, nodes: KubeObject[]): Promise<void> {
  const lost = new Set(
    nodes
      .filter((n) => n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'Unknown'))
      .map((n) => n.metadata.name!),
  );
  if (lost.size === 0) return;
  const pods = (await pass.store.list(pass.clusterId, 'pods', { filter: (p) => lost.has(p.spec?.nodeName) })).items;
  const ops: WriteOp[] = [];
  const marked: KubeObject[] = [];
  for (const pod of pods) {
    if (ops.length >= pass.budgetLeft) break; // the rest next pass
    const phase = pod.status?.phase;
    const ready = pod.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
    if (phase === 'Succeeded' || phase === 'Failed' || !ready || ready.status === 'False') continue;
    const next = structuredClone(pod);
    setCondition(next.status, 'Ready', 'False', pass.nowMs);
    ops.push({ op: 'update', resource: 'pods', object: next });
    marked.push(next);
  }
  await pass.commit(ops);
  for (const pod of marked) await pass.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
}

import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { assignNodeAddresses } from './node-addresses.ts';
import { beatConditions, failedAt, leaseRenewTime } from './node-heartbeat-view.ts';
import { kubeletNodeStatus, LEASE_DURATION_SECONDS, leaseRenewedAt, microTime, nodeLease, nodesAndLeases } from './node-status.ts';
import { writeGuarded } from './pod-writer.ts';

const MAX_WRITES_PER_PASS = 500;

const LEASES = 'leases.coordination.k8s.io';

/**
 * What every node's kubelet does for the node itself: hold its Lease, post healthy conditions and
 * keep capacity, labels and nodeInfo; plus node IPAM (pod CIDR, InternalIP) for new nodes. The
 * periodic renewals are not written: readers see them from the cluster clock
 * (node-heartbeat-view.ts). When a node's kubelet fails, its last Lease renewal and status
 * heartbeat are written down once. Nothing is ever due on a timer: node and Lease writes wake it.
 */
export const nodeHeartbeatController: Controller = {
  name: 'node-heartbeat',
  watches: ['nodes', LEASES],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const now = ctx.now();
    const { nodes, leases } = await nodesAndLeases(ctx.store, ctx.clusterId);
    const addressed = new Map(assignNodeAddresses(nodes).map((n) => [n.metadata.name!, n]));

    const ops: WriteOp[] = [];
    let more = false;
    for (const node of nodes) {
      if (ops.length >= MAX_WRITES_PER_PASS) {
        more = true;
        break;
      }
      const name = node.metadata.name!;
      let current: KubeObject = addressed.get(name) ?? node;
      let dirty = addressed.has(name);
      const lease = leases.get(name);
      const stoppedAt = failedAt(node);
      if (stoppedAt === undefined) {
        const posted = kubeletNodeStatus(current, now);
        if (posted) {
          current = posted;
          dirty = true;
        }
        if (!ownLease(lease, name)) {
          const fresh = nodeLease(node, now, lease);
          ops.push({ op: lease ? 'update' : 'create', resource: LEASES, object: fresh });
        }
      } else {
        // The kubelet went silent: its last renewal and status report become the stored ones.
        const last = lease ? leaseRenewTime(lease, node, now) : undefined;
        if (lease && last !== undefined && last !== leaseRenewedAt(lease)) {
          ops.push({ op: 'update', resource: LEASES, object: { ...lease, spec: { ...lease.spec, renewTime: microTime(last) } } });
        }
        const conditions = beatConditions(current, stoppedAt);
        if (conditions) {
          current = { ...current, status: { ...current.status, conditions } };
          dirty = true;
        }
      }
      if (dirty) ops.push({ op: 'update', resource: 'nodes', object: current });
    }
    const { skipped } = await writeGuarded(ctx.store, ctx.clusterId, ops);
    return more || skipped ? { more: true } : {};
  },
};

/** The kubelet's Lease for its node as it keeps it: held by the node, its duration, a renewTime. */
function ownLease(lease: KubeObject | undefined, node: string): boolean {
  return Boolean(lease && lease.spec?.holderIdentity === node && lease.spec?.leaseDurationSeconds === LEASE_DURATION_SECONDS && leaseRenewedAt(lease) !== undefined);
}

import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { assignNodeAddresses } from './node-addresses.ts';
import { beatConditions, failedAt, leaseRenewTime } from './node-heartbeat-view.ts';
import { kubeletNodeStatus, LEASE_DURATION_SECONDS, leaseRenewedAt, microTime, nodeLease, nodesAndLeases } from './node-status.ts';

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
    const pass = new Pass(ctx, 'kubelet');
    const now = pass.nowMs;
    const { nodes, leases } = await nodesAndLeases(ctx.store, ctx.clusterId);
    const addressed = new Map(assignNodeAddresses(nodes).map((n) => [n.metadata.name!, n]));

    const ops: WriteOp[] = [];
    for (const node of nodes) {
      if (ops.length >= pass.budgetLeft) break; // the rest next pass: the spent budget ends this one with `more`
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
    await pass.commit(ops);
    return pass.result();
  },
};

/** The kubelet's Lease for its node as it keeps it: held by the node, its duration, a renewTime. */
function ownLease(lease: KubeObject | undefined, node: string): boolean {
  return Boolean(lease && lease.spec?.holderIdentity === node && lease.spec?.leaseDurationSeconds === LEASE_DURATION_SECONDS && leaseRenewedAt(lease) !== undefined);
}

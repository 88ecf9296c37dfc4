import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { assignNodeAddresses } from './node-addresses.ts';
import { isNodeFailed } from './node-state.ts';
import { kubeletNodeStatus, LEASE_RENEW_INTERVAL_MS, leaseRenewedAt, nextStatusReport, nodeLease, nodesAndLeases } from './node-status.ts';
import { writeGuarded } from './pod-writer.ts';

const MAX_WRITES_PER_PASS = 500;

/**
 * What every node's kubelet does for the node itself: renew its Lease every 10 s of cluster time,
 * post healthy conditions (heartbeat every 5 min or on change) and keep capacity, labels and
 * nodeInfo; plus node IPAM (pod CIDR, InternalIP) for new nodes. A failed node does none of it.
 */
export const nodeHeartbeatController: Controller = {
  name: 'node-heartbeat',
  watches: ['nodes'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const now = ctx.now();
    const { nodes, leases } = await nodesAndLeases(ctx.store, ctx.clusterId);
    const addressed = new Map(assignNodeAddresses(nodes).map((n) => [n.metadata.name!, n]));

    const ops: WriteOp[] = [];
    let next = Infinity;
    let more = false;
    for (const node of nodes) {
      if (ops.length >= MAX_WRITES_PER_PASS) {
        more = true;
        break;
      }
      const name = node.metadata.name!;
      let current: KubeObject = addressed.get(name) ?? node;
      let dirty = addressed.has(name);
      if (!isNodeFailed(node)) {
        const posted = kubeletNodeStatus(current, now);
        if (posted) {
          current = posted;
          dirty = true;
        }
        const lease = leases.get(name);
        let renewed = leaseRenewedAt(lease);
        if (renewed === undefined || renewed + LEASE_RENEW_INTERVAL_MS <= now) {
          const fresh = nodeLease(node, now, lease);
          ops.push(lease ? { op: 'update', resource: 'leases.coordination.k8s.io', object: fresh } : { op: 'create', resource: 'leases.coordination.k8s.io', object: fresh });
          renewed = now;
        }
        next = Math.min(next, renewed + LEASE_RENEW_INTERVAL_MS, nextStatusReport(current));
      }
      if (dirty) ops.push({ op: 'update', resource: 'nodes', object: current });
    }
    const { skipped } = await writeGuarded(ctx.store, ctx.clusterId, ops);
    if (more || skipped) return { more: true };
    return Number.isFinite(next) ? { requeueAfterMs: Math.max(1, next - now) } : {};
  },
};

import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { CreateAdmission } from '../controllers/shared/admission.ts';
import { assignNodeAddresses } from './node-addresses.ts';
import { beatConditions, failedAt, leaseRenewTime } from '../kube/registry/node-heartbeat-view.ts';
import { kubeletNodeStatus, LEASE_DURATION_SECONDS, leaseRenewedAt, microTime, nodeLease, nodesAndLeases } from './node-status.ts';

const LEASES = 'leases.coordination.k8s.io';

/**
 * What every node's kubelet does for the node itself: hold its Lease, post healthy conditions and
 * keep capacity, labels and nodeInfo; plus node IPAM (pod CIDR, InternalIP) for new nodes. The
 * periodic renewals are not written: readers see them from the cluster clock
 * (kube/registry/node-heartbeat-view.ts). When a node's kubelet fails, its last Lease renewal and status
 * heartbeat are written down once. Node and Lease writes wake it; only a Lease that admission
 * refused sets a timer (a retry).
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
    const newLeases: KubeObject[] = [];
    for (const node of nodes) {
      if (ops.length + newLeases.length >= pass.budgetLeft) break; // the rest next pass: the spent budget ends this one with `more`
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
          if (lease) ops.push({ op: 'update', resource: LEASES, object: fresh });
          else newLeases.push(fresh);
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
    const created = await createLeases(pass, newLeases);
    // The kubelet keeps trying to ensure its Lease; a quota change does not wake this controller.
    if (created.refused) pass.wakeAt(now + LEASE_RETRY_MS);
    return pass.result();
  },
};

const LEASE_CHUNK = 100;
/** How soon (cluster clock) a Lease that admission refused is tried again. */
const LEASE_RETRY_MS = 60_000;

/**
 * New nodes' Leases, admitted as the kubelet's create would be (quota in kube-node-lease), in
 * batched commits with the quota usage they add. A refusal is logged, as the kubelet logs a lease
 * it cannot ensure; the node's status still tells its health. Tells whether a commit lost a race
 * and whether any Lease was refused.
 */
async function createLeases(pass: Pass, leases: KubeObject[]): Promise<{ refused: boolean }> {
  if (leases.length === 0) return { refused: false };
  const admission = new CreateAdmission(pass.store, pass.clusterId);
  const admitted: KubeObject[] = [];
  let anyRefused = false;
  for (const lease of leases) {
    const refused = await admission.admit(LEASES, lease);
    if (!refused) {
      admitted.push(lease);
      continue;
    }
    anyRefused = true;
    pass.ctx.log.warn({ clusterId: pass.clusterId, lease: lease.metadata.name, reason: refused }, 'could not create a node lease');
  }
  for (let i = 0; i < admitted.length; i += LEASE_CHUNK) {
    const chunk = admitted.slice(i, i + LEASE_CHUNK);
    // A lost race leaves `stored` undefined; the pass ends with `more` and the next one sees the new state.
    const stored = await pass.attempt(async () => pass.store.commit(pass.clusterId, await admission.createOps(chunk)), chunk.length);
    await admission.settle(chunk, stored);
  }
  return { refused: anyRefused };
}

/** The kubelet's Lease for its node as it keeps it: held by the node, its duration, a renewTime. */
function ownLease(lease: KubeObject | undefined, node: string): boolean {
  return Boolean(
    lease && lease.spec?.holderIdentity === node && lease.spec?.leaseDurationSeconds === LEASE_DURATION_SECONDS && leaseRenewedAt(lease) !== undefined,
  );
}

import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { StoreError } from '../store/errors.ts';
import { CreateAdmission } from '../controllers/shared/admission.ts';
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
 * heartbeat are written down once. Node and Lease writes wake it; only a Lease that admission
 * refused sets a timer (a retry).
 */
export const nodeHeartbeatController: Controller = {
  name: 'node-heartbeat',
  watches: ['nodes', LEASES],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const now = ctx.now();
    const { nodes, leases } = await nodesAndLeases(ctx.store, ctx.clusterId);
    const addressed = new Map(assignNodeAddresses(nodes).map((n) => [n.metadata.name!, n]));

    const ops: WriteOp[] = [];
    const newLeases: KubeObject[] = [];
    let more = false;
    for (const node of nodes) {
      if (ops.length + newLeases.length >= MAX_WRITES_PER_PASS) {
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
    const { skipped } = await writeGuarded(ctx.store, ctx.clusterId, ops);
    const created = await createLeases(ctx, newLeases);
    const out: ReconcileResult = more || skipped || created.raced ? { more: true } : {};
    // The kubelet keeps trying to ensure its Lease; a quota change does not wake this controller.
    if (created.refused) out.requeueAfterMs = LEASE_RETRY_MS;
    return out;
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
async function createLeases(ctx: ReconcileContext, leases: KubeObject[]): Promise<{ raced: boolean; refused: boolean }> {
  if (leases.length === 0) return { raced: false, refused: false };
  const admission = new CreateAdmission(ctx.store, ctx.clusterId);
  const admitted: KubeObject[] = [];
  let anyRefused = false;
  for (const lease of leases) {
    const refused = await admission.admit(LEASES, lease);
    if (!refused) {
      admitted.push(lease);
      continue;
    }
    anyRefused = true;
    ctx.log.warn({ clusterId: ctx.clusterId, lease: lease.metadata.name, reason: refused }, 'could not create a node lease');
  }
  let raced = false;
  for (let i = 0; i < admitted.length; i += LEASE_CHUNK) {
    const chunk = admitted.slice(i, i + LEASE_CHUNK);
    let stored: KubeObject[] | undefined;
    try {
      stored = await ctx.store.commit(ctx.clusterId, await admission.createOps(chunk));
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      raced = true;
    }
    await admission.settle(chunk, stored);
  }
  return { raced, refused: anyRefused };
}

/** The kubelet's Lease for its node as it keeps it: held by the node, its duration, a renewTime. */
function ownLease(lease: KubeObject | undefined, node: string): boolean {
  return Boolean(lease && lease.spec?.holderIdentity === node && lease.spec?.leaseDurationSeconds === LEASE_DURATION_SECONDS && leaseRenewedAt(lease) !== undefined);
}

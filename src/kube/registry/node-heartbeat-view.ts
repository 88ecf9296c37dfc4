import type { ReadView, ReadViewContext } from './types.ts';
import type { KubeObject } from '../types.ts';
import { isoTime } from '../../lib/clock.ts';

/**
 * A healthy simulated kubelet's heartbeats are not written every 10 s: the stored Lease keeps the
 * renewTime at which the beat started (its anchor) and readers see the latest beat of that rhythm
 * on the cluster clock. When the kubelet stops (`:fail`) the beats stop at the failure time, and the
 * node-heartbeat controller materializes that last beat. The same holds for the node conditions'
 * lastHeartbeatTime (the 5-minute status report).
 */

/** The kubelet's Leases live here, renewed every 10 s (k8s-quick). */
export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_RENEW_INTERVAL_MS = 10_000;
/** Without changes the kubelet still posts its status this often (`nodeStatusReportFrequency`);
 * served from the cluster clock rather than written. */
export const NODE_STATUS_REPORT_INTERVAL_MS = 5 * 60_000;

/** Set on a node by `failNode`: its kubelet is down (no heartbeats, no pod updates). */
export const FAILED_ANNOTATION = 'kates.dev/failed';

export function isNodeFailed(node: KubeObject): boolean {
  return node.metadata.annotations?.[FAILED_ANNOTATION] !== undefined;
}

/** RFC 3339 with microseconds, the MicroTime format of Lease renewTime. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function leaseRenewedAt(lease: KubeObject | undefined): number | undefined {
  const t = Date.parse(lease?.spec?.renewTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** The latest beat of a rhythm of `periodMs` started at `anchorMs`, no later than `untilMs`. */
export function lastBeat(anchorMs: number, untilMs: number, periodMs: number): number {
  if (untilMs <= anchorMs) return anchorMs;
  return anchorMs + Math.floor((untilMs - anchorMs) / periodMs) * periodMs;
}

/** Cluster-clock ms when the node's kubelet failed, or undefined while it runs. */
export function failedAt(node: KubeObject): number | undefined {
  if (!isNodeFailed(node)) return undefined;
  const at = Date.parse(node.metadata.annotations![FAILED_ANNOTATION]);
  return Number.isNaN(at) ? 0 : at;
}

/** Until when the node's kubelet beat: now while it runs, its failure time once it failed. */
export function beatsUntil(node: KubeObject, now: number): number {
  return Math.min(now, failedAt(node) ?? now);
}

/** The renewTime a Lease shows at `now` (its stored value when it is not its node's kubelet Lease). */
export function leaseRenewTime(lease: KubeObject, node: KubeObject | undefined, now: number): number | undefined {
  const anchor = leaseRenewedAt(lease);
  if (anchor === undefined || !node || lease.metadata.namespace !== LEASE_NAMESPACE || lease.spec?.holderIdentity !== node.metadata.name) return anchor;
  return lastBeat(anchor, beatsUntil(node, now), LEASE_RENEW_INTERVAL_MS);
}

/** The Lease as served at `now`: a running kubelet's renewTime is at most 10 s old. */
export function servedLease(lease: KubeObject, node: KubeObject | undefined, now: number): KubeObject {
  const renewed = leaseRenewTime(lease, node, now);
  if (renewed === undefined || renewed === leaseRenewedAt(lease)) return lease;
  return { ...lease, spec: { ...lease.spec, renewTime: microTime(renewed) } };
}

/** The node conditions with each reported heartbeat moved to its latest 5-minute status report. */
export function beatConditions(node: KubeObject, until: number): Array<Record<string, string>> | undefined {
  const conditions: Array<Record<string, string>> | undefined = node.status?.conditions;
  if (!conditions?.length) return undefined;
  let changed = false;
  const out = conditions.map((c) => {
    const anchor = Date.parse(c.lastHeartbeatTime ?? '');
    if (Number.isNaN(anchor) || c.status === 'Unknown') return c;
    const beat = isoTime(lastBeat(anchor, until, NODE_STATUS_REPORT_INTERVAL_MS));
    if (beat === c.lastHeartbeatTime) return c;
    changed = true;
    return { ...c, lastHeartbeatTime: beat };
  });
  return changed ? out : undefined;
}

/** The Node as served at `now`: its conditions' lastHeartbeatTime follows the kubelet's status reports. */
export function servedNode(node: KubeObject, now: number): KubeObject {
  const conditions = beatConditions(node, beatsUntil(node, now));
  return conditions ? { ...node, status: { ...node.status, conditions } } : node;
}

/** The read-time view of Leases: node Leases in kube-node-lease show their kubelet's latest renewal. */
export async function nodeLeaseView({ store, clusterId, namespace, now }: ReadViewContext): Promise<ReadView> {
  if (namespace !== undefined && namespace !== LEASE_NAMESPACE) return (lease) => lease;
  const nodes = new Map((await store.list(clusterId, 'nodes')).items.map((n) => [n.metadata.name!, n]));
  return (lease) => (lease.metadata.namespace === LEASE_NAMESPACE ? servedLease(lease, nodes.get(lease.metadata.name!), now) : lease);
}

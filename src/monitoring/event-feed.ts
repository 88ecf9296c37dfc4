import { and, eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { operations } from '../store/schema/index.ts';
import { clusterTime, type ClusterClockSettings } from '../lib/clock.ts';
import { listClusterEvents } from './cluster-events.ts';
import { objectRef } from './object-facts.ts';
import { operationEvents } from './operation-events.ts';

export interface EventView {
  time: string;
  /** `kubernetes` for the cluster's own Events; the control-plane part otherwise. */
  source: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** `pod/web-0`, as kubectl prints the involved object; null for control-plane events about the cluster. */
  object: string | null;
  namespace: string | null;
  count: number;
}

export interface EventQuery {
  sinceMs: number;
  limit: number;
  source?: string;
  type?: 'Normal' | 'Warning';
}

function kubeEventTime(e: KubeObject): number {
  const t = (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp) as string | undefined;
  return t ? Date.parse(t) : 0;
}

function kubeEventView(e: KubeObject): EventView {
  const involved = (e.involvedObject ?? e.regarding ?? {}) as { kind?: string; name?: string; namespace?: string };
  return {
    time: new Date(kubeEventTime(e)).toISOString(),
    source: 'kubernetes',
    type: e.type === 'Warning' ? 'Warning' : 'Normal',
    reason: String(e.reason ?? ''),
    message: String(e.message ?? e.note ?? ''),
    object: involved.name ? objectRef(involved.kind, involved.name) : null,
    namespace: involved.namespace ?? e.metadata.namespace ?? null,
    count: Number(e.count ?? 1),
  };
}

/**
 * One timeline of a cluster: its Kubernetes Events, the control plane's own events, and its
 * management operations (provisioning, resizes, deletion). Newest first, in the cluster's clock.
 */
export async function clusterEventFeed(db: Db, store: ObjectStore, cluster: ClusterClockSettings & { id: string }, q: EventQuery): Promise<EventView[]> {
  const wanted = (v: EventView) =>
    Date.parse(v.time) >= q.sinceMs &&
    (!q.type || v.type === q.type) &&
    (!q.source || v.source === q.source || (q.source === 'control-plane' && v.source !== 'kubernetes'));
  const kube = (await store.list(cluster.id, 'events')).items.map(kubeEventView);
  const control = (await listClusterEvents(db, cluster.id, q.sinceMs, q.limit)).map((r): EventView => ({
    time: new Date(r.at).toISOString(),
    source: r.source,
    type: r.type === 'Warning' ? 'Warning' : 'Normal',
    reason: r.reason,
    message: r.message,
    object: null,
    namespace: null,
    count: 1,
  }));
  const ops = await db
    .select()
    .from(operations)
    .where(and(eq(operations.clusterId, cluster.id)))
    .all();
  // Operations are stamped in real time; the feed is in the cluster's clock.
  const opEvents = ops.flatMap((o) => operationEvents(o, (ms) => clusterTime(ms, cluster)));
  return [...kube, ...control, ...opEvents]
    .filter(wanted)
    .sort((a, b) => b.time.localeCompare(a.time) || a.source.localeCompare(b.source))
    .slice(0, q.limit);
}

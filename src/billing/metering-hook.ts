import { and, eq, isNull, ne, notExists, sql, exists } from 'drizzle-orm';
import type { KubeObject } from '../kube/types.ts';
import { newId } from '../lib/ids.ts';
import { STORAGE_CLASS_RESOURCE } from '../storage/classes.ts';
import type { Db, WriteStatement } from '../store/db.ts';
import type { ObjectChange, ObjectStore, WriteHook } from '../store/objects.ts';
import { clusters, usageIntervals } from '../store/schema/index.ts';
import { closeInterval, type IntervalAttributes, type IntervalKey, type IntervalKind } from './intervals.ts';
import { INGRESS_RESOURCE, providerIngress } from '../network/ingress.ts';
import { clusterFacts } from '../network/cluster-facts.ts';
import {
  ingressLoadBalancerIntervalKey,
  loadBalancerIntervalAttributes,
  loadBalancerIntervalKey,
  podIntervalAttributes,
  podIntervalKey,
  podMeteringChanged,
  volumeIntervalAttributes,
  volumeIntervalKey,
} from './metering.ts';

/**
 * Every object-driven billing interval (nodes, volumes, load balancers, pods) derived from the
 * changes of a commit and written in the same atomic write, so metering cannot drift from state
 * whoever makes the change (a controller, the autoscaler, kubectl). Cluster intervals are not object
 * writes: provisioning and teardown keep them.
 */

/** The only resources whose writes can open or close an interval; commits of others skip the hook. */
export const METERED_RESOURCES = ['nodes', 'pods', 'persistentvolumes', 'services', INGRESS_RESOURCE] as const;

const POOL_LABEL = 'kates.dev/node-pool';
const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Set by the node-pool controller on nodes above their pool's size during an upgrade (src/controllers/node-pools/drain.ts). */
const SURGE_ANNOTATION = 'kates.dev/surge';
/** Set by the provisioner on every volume it creates (dynamic provisioning), as in Kubernetes. */
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';

/** What one change does to metering. `reopen` replaces an interval only if one is open: a PV is
 * billable from its provisioning on, which a later edit of its annotations must not change. */
type Action =
  | { act: 'open'; key: IntervalKey; attributes: IntervalAttributes[IntervalKind] }
  | { act: 'close'; key: IntervalKey }
  | { act: 'replace'; key: IntervalKey; attributes: IntervalAttributes[IntervalKind] }
  | { act: 'reopen'; key: IntervalKey; attributes: IntervalAttributes[IntervalKind] };

/** Registers the metering hook on a store: one call where the store is built. */
export function registerMeteringHook(store: ObjectStore): void {
  store.addWriteHook(meteringHook(store), METERED_RESOURCES);
}

export function meteringHook(store: ObjectStore): WriteHook {
  const { db } = store.database;
  return async (clusterId, changes, nowMs) => {
    const statements: WriteStatement[] = [];
    for (const change of changes) {
      for (const action of await actionsFor(store, clusterId, change)) statements.push(...toStatements(db, action, nowMs));
    }
    return statements;
  };
}

async function actionsFor(store: ObjectStore, clusterId: string, change: ObjectChange): Promise<Action[]> {
  switch (change.resource) {
    case 'nodes':
      return nodeActions(clusterId, change);
    case 'pods':
      return podActions(clusterId, change);
    case 'persistentvolumes':
      return volumeActions(store, clusterId, change);
    case 'services':
      return loadBalancerActions(clusterId, change);
    case INGRESS_RESOURCE:
      return ingressLoadBalancerActions(store, clusterId, change);
    default:
      return [];
  }
}

/** A node is a VM from creation to deletion; only nodes kates runs for a pool are its VMs. A label
 * edit never stops the meter (creation and deletion alone decide). */
export function nodeActions(clusterId: string, { type, before, after }: ObjectChange): Action[] {
  if (type === 'ADDED' && after?.metadata.labels?.[POOL_LABEL]) {
    return [{ act: 'open', key: { clusterId, kind: 'node', subject: after.metadata.name ?? '' }, attributes: nodeAttributes(after) }];
  }
  if (type === 'DELETED' && before) return [{ act: 'close', key: { clusterId, kind: 'node', subject: before.metadata.name ?? '' } }];
  // A surge node of an upgrade becomes an ordinary member of its pool once an old node has gone.
  if (type === 'MODIFIED' && before && after?.metadata.labels?.[POOL_LABEL] && isSurgeNode(before) !== isSurgeNode(after)) {
    return [{ act: 'replace', key: { clusterId, kind: 'node', subject: after.metadata.name ?? '' }, attributes: nodeAttributes(after) }];
  }
  return [];
}

const isSurgeNode = (node: KubeObject) => node.metadata.annotations?.[SURGE_ANNOTATION] === 'true';

function nodeAttributes(node: KubeObject): IntervalAttributes['node'] {
  const labels = node.metadata.labels ?? {};
  const attributes: IntervalAttributes['node'] = { instanceType: labels[INSTANCE_TYPE_LABEL] ?? '', pool: labels[POOL_LABEL] };
  if (labels[ZONE_LABEL]) attributes.zone = labels[ZONE_LABEL];
  if (isSurgeNode(node)) attributes.surge = true;
  if (
    labels['eks.amazonaws.com/capacityType'] === 'SPOT' ||
    labels['cloud.google.com/gke-spot'] === 'true' ||
    labels['kubernetes.azure.com/scalesetpriority'] === 'spot'
  )
    attributes.spot = true;
  return attributes;
}

/** A pod is metered while it is bound to a node and has not terminated. */
export function podMetered(pod: KubeObject | undefined): pod is KubeObject {
  if (!pod?.spec?.nodeName) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export function podActions(clusterId: string, { before, after }: ObjectChange): Action[] {
  const was = podMetered(before);
  const is = podMetered(after);
  if (!was && !is) return [];
  const key = podIntervalKey(clusterId, (after ?? before)!);
  if (!was) return [{ act: 'open', key, attributes: podIntervalAttributes(after!) }];
  if (!is) return [{ act: 'close', key }];
  const next = podIntervalAttributes(after!);
  return podMeteringChanged(podIntervalAttributes(before!), next) ? [{ act: 'replace', key, attributes: next }] : [];
}

/** A LoadBalancer Service of the default (cloud) implementation costs from the moment it has an address. */
export function hasLoadBalancer(svc: KubeObject | undefined): svc is KubeObject {
  return !!svc && svc.spec?.type === 'LoadBalancer' && !svc.spec?.loadBalancerClass && (svc.status?.loadBalancer?.ingress ?? []).length > 0;
}

export function loadBalancerActions(clusterId: string, { before, after }: ObjectChange): Action[] {
  const was = hasLoadBalancer(before);
  const is = hasLoadBalancer(after);
  if (was === is) return [];
  const svc = (after ?? before)!;
  const key = loadBalancerIntervalKey(clusterId, svc);
  return is ? [{ act: 'open', key, attributes: loadBalancerIntervalAttributes(svc) }] : [{ act: 'close', key }];
}

/**
 * An Ingress costs like a LoadBalancer Service from the moment it has an address, where the
 * provider builds a load balancer per Ingress (an ALB on EKS, an HTTP(S) load balancer on GKE).
 */
export async function ingressLoadBalancerActions(store: ObjectStore, clusterId: string, { before, after }: ObjectChange): Promise<Action[]> {
  const addressed = (o: KubeObject | undefined) => (o?.status?.loadBalancer?.ingress ?? []).length > 0;
  const was = addressed(before);
  const is = addressed(after);
  if (was === is) return [];
  if (!providerIngress((await clusterFacts(store, clusterId)).provider).perIngress) return [];
  const ing = (after ?? before)!;
  const key = ingressLoadBalancerIntervalKey(clusterId, ing);
  return is ? [{ act: 'open', key, attributes: { ...loadBalancerIntervalAttributes(ing), kind: 'Ingress' } }] : [{ act: 'close', key }];
}

async function volumeActions(store: ObjectStore, clusterId: string, { type, before, after }: ObjectChange): Promise<Action[]> {
  if (type === 'DELETED') return before ? [{ act: 'close', key: volumeIntervalKey(clusterId, before) }] : [];
  if (!after) return [];
  // Only volumes kates provisioned are disks it bills; a pre-provisioned PV is the user's own disk.
  if (type === 'ADDED')
    return after.metadata.annotations?.[PROVISIONED_BY]
      ? [{ act: 'open', key: volumeIntervalKey(clusterId, after), attributes: await volumeAttributes(store, clusterId, after) }]
      : [];
  if (!before || !volumeMeteringChanged(volumeIntervalAttributes(before), volumeIntervalAttributes(after))) return [];
  return [{ act: 'reopen', key: volumeIntervalKey(clusterId, after), attributes: await volumeAttributes(store, clusterId, after) }];
}

/** Size and class are priced; the claim is what cost allocation charges it to. */
function volumeMeteringChanged(a: IntervalAttributes['volume'], b: IntervalAttributes['volume']): boolean {
  return a.sizeBytes !== b.sizeBytes || a.storageClass !== b.storageClass || a.claimNamespace !== b.claimNamespace || a.claimName !== b.claimName;
}

async function volumeAttributes(store: ObjectStore, clusterId: string, pv: KubeObject): Promise<IntervalAttributes['volume']> {
  const className = pv.spec?.storageClassName;
  const sc = className ? await store.get(clusterId, STORAGE_CLASS_RESOURCE, '', className) : undefined;
  return volumeIntervalAttributes(pv, sc);
}

function toStatements(db: Db, action: Action, atMs: number): WriteStatement[] {
  switch (action.act) {
    case 'open':
      return [guardedOpen(db, action.key, action.attributes, atMs, 'unlessOpen')];
    case 'close':
      return [closeInterval(db, action.key, atMs)];
    case 'replace':
      return [closeInterval(db, action.key, atMs), guardedOpen(db, action.key, action.attributes, atMs, 'unlessOpen')];
    case 'reopen': {
      const id = newId('int');
      return [guardedOpen(db, action.key, action.attributes, atMs, 'ifOpen', id), closeOthers(db, action.key, id, atMs)];
    }
  }
}

function openOf(db: Db, key: IntervalKey) {
  return db
    .select({ one: sql`1` })
    .from(usageIntervals)
    .where(
      and(
        eq(usageIntervals.clusterId, key.clusterId),
        eq(usageIntervals.kind, key.kind),
        eq(usageIntervals.subject, key.subject),
        isNull(usageIntervals.endedAt),
      ),
    );
}

/**
 * Inserts an interval, taking the tenant from the cluster row inside the write (no read, no cache),
 * and only while the cluster is not DELETED (teardown closed everything) and only when the guard
 * holds: `unlessOpen` never makes a second open interval for one subject, `ifOpen` only continues one.
 */
function guardedOpen(db: Db, key: IntervalKey, attributes: object, atMs: number, guard: 'unlessOpen' | 'ifOpen', id = newId('int')): WriteStatement {
  const row = db
    .select({
      id: sql`${id}`.as('id'),
      tenantId: clusters.tenantId,
      clusterId: clusters.id,
      kind: sql`${key.kind}`.as('kind'),
      subject: sql`${key.subject}`.as('subject'),
      attributes: sql`${JSON.stringify(attributes)}`.as('attributes'),
      startedAt: sql`${atMs}`.as('started_at'),
      endedAt: sql`NULL`.as('ended_at'),
    })
    .from(clusters)
    .where(and(eq(clusters.id, key.clusterId), ne(clusters.status, 'DELETED'), guard === 'unlessOpen' ? notExists(openOf(db, key)) : exists(openOf(db, key))));
  return { query: db.insert(usageIntervals).select(row) };
}

/** Closes the subject's open intervals but the one just opened (the second half of a `reopen`). */
function closeOthers(db: Db, key: IntervalKey, keepId: string, atMs: number): WriteStatement {
  return {
    query: db
      .update(usageIntervals)
      .set({ endedAt: atMs })
      .where(
        and(
          eq(usageIntervals.clusterId, key.clusterId),
          eq(usageIntervals.kind, key.kind),
          eq(usageIntervals.subject, key.subject),
          isNull(usageIntervals.endedAt),
          ne(usageIntervals.id, keepId),
        ),
      ),
  };
}

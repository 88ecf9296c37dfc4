import { and, eq, isNull } from 'drizzle-orm';
import { newId } from '../lib/ids.ts';
import type { Db, WriteStatement } from '../store/db.ts';
import { usageIntervals } from '../store/schema/index.ts';
import type { Provider } from './catalog.ts';

/** What each kind of metered thing records when its interval opens. */
export interface IntervalAttributes {
  /** Opened by cluster provisioning, closed on deletion; reopened when the tier changes. */
  cluster: {
    provider: Provider;
    tier: string;
    region: string;
    regional?: boolean;
    /** Reopened on upgrade: support windows are priced from it. */ kubernetesVersion?: string;
    /** Enrolled in extended support (EKS default, GKE Extended channel, AKS LTS). */ versionSupport?: 'standard' | 'extended';
  };
  /** Opened when the node is created, closed when it is removed. Subject: node name. `surge`: a node
   * above the pool's size while an upgrade replaces its nodes (reopened without it once an old node goes). */
  node: {
    instanceType: string;
    pool?: string;
    zone?: string;
    surge?: boolean;
    /** A spot VM (priced on demand until the catalog has spot prices). */ spot?: boolean;
  };
  /** Opened when the PV is provisioned, closed when it is deleted; reopened on resize. Subject: PV name. */
  volume: { sizeBytes: number; storageClass?: string; volumeType?: string; claimNamespace?: string; claimName?: string };
  /**
   * Opened when a LoadBalancer Service (subject `ns/name`) or an Ingress with a load balancer of its
   * own (subject `ingress:ns/name`, kind `Ingress`) gets its address, closed when it goes.
   */
  loadbalancer: { namespace: string; name: string; kind?: 'Ingress' };
  /** Opened when a pod is bound to a node, closed when it terminates or is deleted; reopened when its
   * requests change. Priced only where pods are billed (GKE Autopilot); allocation uses them all.
   * Subject: ns/name. Requests are the pod's effective requests (sum of containers, max with init). */
  pod: {
    namespace: string;
    name: string;
    node?: string;
    cpuMilli: number;
    memoryBytes: number;
    ephemeralBytes?: number;
    /** The top-level owner, `Kind/name` (e.g. `Deployment/web`), or `Pod/<name>` when it has none. */
    workload?: string;
    labels?: Record<string, string>;
    /** Names of the PersistentVolumeClaims (in the pod's namespace) it mounts: storage cost follows them. */
    claims?: string[];
  };
}

export type IntervalKind = keyof IntervalAttributes;

export interface IntervalKey {
  clusterId: string;
  kind: IntervalKind;
  subject: string;
}

export interface OpenIntervalInput<K extends IntervalKind = IntervalKind> extends IntervalKey {
  kind: K;
  tenantId: string;
  attributes: IntervalAttributes[K];
  /** Cluster-clock ms of the state change (the commit's `clusterNowMs`). */
  startedAt: number;
  id?: string;
}

/** An interval as the rating reads it. */
export interface UsageInterval<K extends IntervalKind = IntervalKind> {
  id: string;
  tenantId: string;
  clusterId: string;
  kind: K;
  subject: string;
  attributes: IntervalAttributes[K];
  startedAt: number;
  endedAt: number | null;
}

/**
 * The insert that starts metering something. Put it in the same atomic write as the state change
 * (e.g. `store.commit(ops, { extra: (now) => [openInterval(db, {..., startedAt: now})] })`), so a
 * crash can neither bill what was never created nor miss what was.
 */
export function openInterval<K extends IntervalKind>(db: Db, input: OpenIntervalInput<K>): WriteStatement {
  return {
    query: db.insert(usageIntervals).values({
      id: input.id ?? newId('int'),
      tenantId: input.tenantId,
      clusterId: input.clusterId,
      kind: input.kind,
      subject: input.subject,
      attributes: JSON.stringify(input.attributes),
      startedAt: input.startedAt,
    }),
  };
}

/** The update that stops metering a subject at `atMs` (cluster clock). Closing what is not open
 * changes nothing, so a retried state change stays harmless. */
export function closeInterval(db: Db, key: IntervalKey, atMs: number): WriteStatement {
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
        ),
      ),
  };
}

/** Close then open at the same instant: a priced attribute changed (tier, volume size, pod requests). */
export function replaceInterval<K extends IntervalKind>(db: Db, input: OpenIntervalInput<K>): WriteStatement[] {
  return [closeInterval(db, input, input.startedAt), openInterval(db, input)];
}

/** Stops metering everything of a cluster at `atMs`: part of the write that marks it deleted. */
export function closeClusterIntervals(db: Db, clusterId: string, atMs: number): WriteStatement {
  return {
    query: db
      .update(usageIntervals)
      .set({ endedAt: atMs })
      .where(and(eq(usageIntervals.clusterId, clusterId), isNull(usageIntervals.endedAt))),
  };
}

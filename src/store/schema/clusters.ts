import { sqliteTable, text, integer, real, index, primaryKey } from 'drizzle-orm/sqlite-core';

export const clusters = sqliteTable(
  'clusters',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    provider: text('provider').notNull(),
    tier: text('tier').notNull(),
    region: text('region').notNull(),
    kubernetesVersion: text('kubernetes_version').notNull(),
    status: text('status').notNull(),
    /** JSON: labels and other settings that have no column (autoscaler settings, ...). */
    settings: text('settings').notNull().default('{}'),
    timeScale: real('time_scale').notNull().default(1),
    /** Cluster clock: cluster time = origin + (real - origin) * timeScale + skew. */
    clockOriginMs: integer('clock_origin_ms').notNull(),
    clockSkewMs: integer('clock_skew_ms').notNull().default(0),
    /** The cluster's etcd-like revision: every object write bumps it. */
    resourceVersion: integer('resource_version').notNull().default(0),
    /** Watch events at or below this revision have been compacted away (410 Gone). */
    compactedRevision: integer('compacted_revision').notNull().default(0),
    /** Bumped by kubeconfig rotation; cluster tokens carry it and older ones are refused. */
    tokenGeneration: integer('token_generation').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('clusters_tenant').on(t.tenantId, t.createdAt), index('clusters_status').on(t.status)],
);

export const nodePools = sqliteTable(
  'node_pools',
  {
    clusterId: text('cluster_id').notNull(),
    name: text('name').notNull(),
    instanceType: text('instance_type').notNull(),
    count: integer('count').notNull(),
    minCount: integer('min_count').notNull(),
    maxCount: integer('max_count').notNull(),
    autoscaling: integer('autoscaling', { mode: 'boolean' }).notNull().default(false),
    labels: text('labels').notNull().default('{}'),
    taints: text('taints').notNull().default('[]'),
    /** The kubelet version of the pool's nodes; null means the control plane's (pools made before upgrades existed). */
    version: text('version'),
    /** JSON array of zones the pool spreads over; empty means every zone of the region. */
    zones: text('zones').notNull().default('[]'),
    /** ON_DEMAND or SPOT. */
    capacityType: text('capacity_type').notNull().default('ON_DEMAND'),
    /** Surge upgrade settings as the provider spells them: a count ("1") or a percentage ("10%"); null = the provider's default. */
    maxSurge: text('max_surge'),
    maxUnavailable: text('max_unavailable'),
    /** READY, or RECONCILING / DELETING while an operation replaces or drains its nodes. */
    status: text('status').notNull().default('READY'),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.name] })],
);

/** Long-running management operations (provision, resize, delete) that clients poll. */
export const operations = sqliteTable(
  'operations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    clusterId: text('cluster_id').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    error: text('error'),
    /** JSON with what the operation must do (e.g. the requested pool sizes). */
    input: text('input').notNull().default('{}'),
    /** JSON: per-step progress of operations that run as controller passes (upgrades, node pool changes). */
    progress: text('progress').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('operations_cluster').on(t.clusterId, t.status)],
);

/** Idempotency-Key records: the same key and body replays the stored answer. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: text('response'),
    createdAt: integer('created_at').notNull(),
  },
  // created_at: the hourly sweep deletes records past their retention.
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), index('idempotency_keys_created').on(t.createdAt)],
);

/** Namespace-scoped tokens for a cluster's Kubernetes API (role view/edit). */
export const clusterTokens = sqliteTable(
  'cluster_tokens',
  {
    id: text('id').primaryKey(),
    clusterId: text('cluster_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    role: text('role').notNull(),
    namespaces: text('namespaces').notNull().default('[]'),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('cluster_tokens_cluster').on(t.clusterId)],
);

/** The control plane's own events for a cluster (provisioning, scaling, autoscaler, billing). */
export const clusterEvents = sqliteTable(
  'cluster_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clusterId: text('cluster_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    source: text('source').notNull(),
    type: text('type').notNull(),
    reason: text('reason').notNull(),
    message: text('message').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('cluster_events_cluster').on(t.clusterId, t.at)],
);

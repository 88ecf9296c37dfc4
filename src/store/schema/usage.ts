import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** A metered thing that existed from `startedAt` to `endedAt` (null while open). Opened and closed
 * in the same atomic write as the state change that causes it, so billing never drifts from state. */
export const usageIntervals = sqliteTable(
  'usage_intervals',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    clusterId: text('cluster_id').notNull(),
    /** cluster | node | volume | loadbalancer | pod */
    kind: text('kind').notNull(),
    /** What it is: node name, PV name, service ns/name, pod ns/name, or the cluster id. */
    subject: text('subject').notNull(),
    /** JSON: provider, tier, instanceType, storageClass, GiB, cpu/memory requests... */
    attributes: text('attributes').notNull().default('{}'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [index('usage_intervals_cluster').on(t.clusterId, t.kind, t.subject), index('usage_intervals_tenant').on(t.tenantId, t.startedAt)],
);

import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';

/** Snapshots of a cluster's state for the monitoring reports, taken on the cluster's clock. A row is
 * written only when the state changed, so an idle cluster costs nothing;
 * readers carry each snapshot forward until the next one. */
export const monitoringSamples = sqliteTable(
  'monitoring_samples',
  {
    clusterId: text('cluster_id').notNull(),
    /** Cluster-clock epoch ms. */
    at: integer('at').notNull(),
    /** JSON ClusterSnapshot (src/monitoring/snapshot.ts). */
    data: text('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.at] })],
);

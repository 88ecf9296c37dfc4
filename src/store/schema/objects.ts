import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';

/** Every Kubernetes object of every virtual cluster: identity columns plus the JSON document. */
export const objects = sqliteTable(
  'objects',
  {
    clusterId: text('cluster_id').notNull(),
    /** plural.group, e.g. `pods`, `deployments.apps`. */
    resource: text('resource').notNull(),
    /** '' for cluster-scoped kinds. */
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    uid: text('uid').notNull(),
    resourceVersion: integer('resource_version').notNull(),
    body: text('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.resource, t.namespace, t.name] }), index('objects_uid').on(t.clusterId, t.uid)],
);

/** The watch log: one row per object change, in resourceVersion order per cluster. */
export const watchEvents = sqliteTable(
  'watch_events',
  {
    clusterId: text('cluster_id').notNull(),
    resourceVersion: integer('resource_version').notNull(),
    resource: text('resource').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    body: text('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.resourceVersion] }), index('watch_events_resource').on(t.clusterId, t.resource, t.resourceVersion)],
);

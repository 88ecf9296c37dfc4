import { sqliteTable, text, integer, real, index, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * Resource usage as change points: a row when a node's, pod's or the cluster's (`kind` `node`, `pod`,
 * `cluster`; namespace '' but for pods) usage changes, holding until the object's next row; `gone`
 * rows end a series. The 15 s scrapes metrics-server would take are rendered from them on read
 * (src/metrics/read.ts). Superseded rows are kept for a short rolling window. Pods carry their
 * per-container usage as JSON.
 */
export const metricSamples = sqliteTable(
  'metric_samples',
  {
    clusterId: text('cluster_id').notNull(),
    kind: text('kind').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    /** Cluster-clock epoch ms at the end of the sampling window. */
    at: integer('at').notNull(),
    /** Length of the window the usage is averaged over (ms). */
    windowMs: integer('window_ms').notNull(),
    cpuMilli: real('cpu_milli').notNull(),
    memoryBytes: integer('memory_bytes').notNull(),
    /** Pods only: JSON [{name, cpuMilli, memoryBytes}]. */
    containers: text('containers'),
    /** 1 when the object stopped being scraped at `at` (deleted, stopped, its node not ready). */
    gone: integer('gone').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.kind, t.namespace, t.name, t.at] }), index('metric_samples_cluster_at').on(t.clusterId, t.at)],
);

/**
 * Per-minute and per-hour aggregates of the 15 s samples for reports. `kind` is `node`, `pod` or
 * `cluster` (the sum over nodes); sums and counts let readers compute exact means. Written when a
 * change point closes an interval; the open interval of each series is added on read.
 */
export const metricRollups = sqliteTable(
  'metric_rollups',
  {
    clusterId: text('cluster_id').notNull(),
    /** `1m` or `1h`. */
    resolution: text('resolution').notNull(),
    kind: text('kind').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    /** Cluster-clock epoch ms at the start of the bucket. */
    bucketStart: integer('bucket_start').notNull(),
    samples: integer('samples').notNull(),
    cpuMilliSum: real('cpu_milli_sum').notNull(),
    cpuMilliMax: real('cpu_milli_max').notNull(),
    memoryBytesSum: real('memory_bytes_sum').notNull(),
    memoryBytesMax: integer('memory_bytes_max').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterId, t.resolution, t.kind, t.namespace, t.name, t.bucketStart] }),
    index('metric_rollups_bucket').on(t.clusterId, t.resolution, t.bucketStart),
  ],
);

/**
 * What the autoscaling controllers remember between passes (HPA recommendations and scale events,
 * VPA histograms, cluster-autoscaler timers and its last report), one JSON document per key. Workers
 * are stateless, so this plays the part of the upstream controllers' in-memory maps.
 */
export const autoscalingState = sqliteTable(
  'autoscaling_state',
  {
    clusterId: text('cluster_id').notNull(),
    /** `hpa`, `vpa`, `cluster-autoscaler`, `metrics`... */
    component: text('component').notNull(),
    /** Usually the object's uid, or `cluster` for cluster-wide state. */
    key: text('key').notNull(),
    body: text('body').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.component, t.key] })],
);

/** The traffic model of a cluster: requests per second per Service and what one request costs. */
export const clusterTraffic = sqliteTable('cluster_traffic', {
  clusterId: text('cluster_id').primaryKey(),
  /** JSON TrafficSpec (src/traffic/types.ts). */
  spec: text('spec').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

import type { clusters, nodePools } from './schema/index.ts';

/** A cluster and a node pool as stored: read by the services that change them and by the cluster autoscaler. */
export type ClusterRow = typeof clusters.$inferSelect;
export type NodePoolRow = typeof nodePools.$inferSelect;

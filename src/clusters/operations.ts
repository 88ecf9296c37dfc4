import type { operations } from '../store/schema/index.ts';

export type OperationRow = typeof operations.$inferSelect;
export type OperationType =
  'CREATE_CLUSTER' | 'UPDATE_CLUSTER' | 'DELETE_CLUSTER' | 'UPGRADE_CLUSTER' | 'CREATE_NODE_POOL' | 'UPDATE_NODE_POOL' | 'DELETE_NODE_POOL';

/** One part of an operation that runs as controller passes: the control plane, or one node pool. */
export interface OperationStep {
  name: string;
  status: 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';
  message?: string;
  nodesTotal?: number;
  nodesDone?: number;
  surgeNodes?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface OperationProgress {
  steps?: OperationStep[];
  /** The worker's part is done; the node-pool controller carries the operation to its end. */
  handedOver?: boolean;
}

/** Operations whose nodes are replaced or drained over many controller passes. */
export const CONTROLLER_DRIVEN: readonly OperationType[] = ['UPGRADE_CLUSTER', 'UPDATE_NODE_POOL', 'DELETE_NODE_POOL'];

/** The work-queue port the core uses; BullMQ on Node, Cloudflare Queues on Workers. */
export interface WorkQueue {
  /** Run a management operation (provision, resize, delete) in a worker. */
  enqueueOperation(operationId: string): Promise<void>;
  /** Ask for a pass of one controller over one cluster, coalesced with any pending one. */
  enqueueReconcile(clusterId: string, controller: string, delayMs?: number): Promise<void>;
}

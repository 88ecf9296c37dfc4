/** The work-queue port the core uses; BullMQ on Node, Cloudflare Queues on Workers. */
export interface WorkQueue {
  /** Run a management operation (provision, resize, delete) in a worker. */
  enqueueOperation(operationId: string): Promise<void>;
  /**
   * Ask for a pass of one controller over one cluster, coalesced with any pending one. With a
   * delay (real ms), arm the key's timer instead, unless an earlier one is armed; the next pass's
   * own answer then replaces it (see `PassMarks` in pass-protocol.ts).
   */
  enqueueReconcile(clusterId: string, controller: string, delayMs?: number): Promise<void>;
}

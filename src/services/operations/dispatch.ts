import type { Logger } from '../../lib/logger.ts';
import type { WorkQueue } from '../../queue/port.ts';
import { asUnavailable } from '../../lib/unavailable.ts';

/**
 * Hands a committed operation to the workers. The operation is already durable in SQL, so a queue
 * that is down must not turn an accepted change into an error the client would retry (and so
 * duplicate): it stays PENDING and is enqueued again when the queue is back (at start, and when a
 * worker sees Redis reconnect).
 */
export async function dispatchOperation(deps: { queue: WorkQueue; log: Logger }, operationId: string): Promise<void> {
  try {
    await deps.queue.enqueueOperation(operationId);
  } catch (err) {
    if (!asUnavailable(err)) throw err;
    deps.log.warn({ operationId, err: err instanceof Error ? err.message : String(err) }, 'queue unavailable: the operation runs once it is back');
  }
}

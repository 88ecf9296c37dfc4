import type { Controller } from '../controllers/runtime.ts';
import type { Logger } from '../lib/logger.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { WorkQueue } from './port.ts';
import { controllersWokenBy } from './runner.ts';

/**
 * One pass of every controller of a cluster: when it becomes RUNNING (provisioned, resized), when
 * its clock moves (timers armed in real time from the old clock are wrong), and when its timers may
 * have been lost. Each pass re-arms its own timer from what it finds.
 */
export async function wakeAllControllers(queue: WorkQueue, controllers: Controller[], clusterId: string): Promise<void> {
  await Promise.all(controllers.map((c) => queue.enqueueReconcile(clusterId, c.name)));
}

/**
 * Every commit wakes the controllers that watch what it touched. `awaited`: the writer's call waits
 * for the wake-ups (Workers, where I/O left behind by an invocation is cancelled); otherwise they are
 * sent in the background (Node, where the transport batches them for one Redis round trip).
 */
export function wakeOnCommit(store: ObjectStore, queue: WorkQueue, controllers: Controller[], log: Logger, mode: 'awaited' | 'background'): void {
  if (mode === 'awaited') {
    store.afterCommit(async (clusterId, events) => {
      const wakes = controllersWokenBy(controllers, events).map((name) => queue.enqueueReconcile(clusterId, name));
      const failed = (await Promise.allSettled(wakes)).filter((r) => r.status === 'rejected');
      // The commit stands; the next write (or the key's timer) wakes the controllers again.
      if (failed.length) log.warn({ clusterId, err: String((failed[0] as PromiseRejectedResult).reason) }, 'could not wake controllers after a commit');
    });
    return;
  }
  store.onCommit((clusterId, events) => {
    for (const name of controllersWokenBy(controllers, events)) {
      queue
        .enqueueReconcile(clusterId, name)
        .catch((err: Error) => log.error({ clusterId, controller: name, err: err.message }, 'could not enqueue a reconcile pass'));
    }
  });
}

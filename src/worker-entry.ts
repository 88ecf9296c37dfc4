import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from './platform/workers/bindings.ts';
import { workersRuntime } from './platform/workers/runtime.ts';
import { consumeBatch } from './platform/workers/consumer.ts';
import { runScheduled } from './platform/workers/scheduled.ts';

/**
 * Cloudflare Workers entry: the same app and control loops as `src/main.ts`, on D1, Queues and Cron
 * Triggers. Every handler hands the sends its work started (commit wake-ups) to the invocation's
 * lifetime, since the core fires them without awaiting.
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const rt = await workersRuntime(env);
    const response = await rt.app.fetch(request, env, ctx as never);
    ctx.waitUntil(rt.queue.settle());
    return response;
  },

  async queue(batch: MessageBatch<unknown>, env: WorkerEnv): Promise<void> {
    const rt = await workersRuntime(env);
    try {
      await consumeBatch(rt.consumer, batch);
    } finally {
      await rt.queue.settle();
    }
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const rt = await workersRuntime(env);
    ctx.waitUntil(runScheduled(rt.consumer, controller.cron).finally(() => rt.queue.settle()));
  },
};

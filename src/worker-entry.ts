import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from './platform/workers/bindings.ts';
import { workersRuntime } from './platform/workers/runtime.ts';
import { consumeBatch } from './platform/workers/consumer.ts';
import { runScheduled } from './platform/workers/scheduled.ts';
import { uncompressedIfStreaming } from './platform/workers/streaming.ts';

/**
 * Cloudflare Workers entry: the same app and control loops as `src/main.ts`, on D1, Queues and Cron
 * Triggers. Each handler awaits all the work it starts (commits await their wake-ups), so nothing is
 * left running when the invocation ends.
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const rt = await workersRuntime(env);
    const response = await rt.app.fetch(request, env, ctx as never);
    return uncompressedIfStreaming(request, response);
  },

  async queue(batch: MessageBatch<unknown>, env: WorkerEnv): Promise<void> {
    const rt = await workersRuntime(env);
    await consumeBatch(rt.consumer, batch);
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const rt = await workersRuntime(env);
    ctx.waitUntil(runScheduled(rt.consumer, controller.cron));
  },
};

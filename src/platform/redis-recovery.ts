import type { Redis } from 'ioredis';
import { inArray } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import type { Logger } from '../lib/logger.ts';
import { clusters } from '../store/schema/index.ts';
import type { BullTransport } from './bullmq.ts';
import { onReconnect } from './redis.ts';

/**
 * Each time Redis comes back after an outage, whatever it held then may be lost (a restart without
 * persistence, the last second of an append-only file, commands that failed meanwhile): every process
 * re-sends the unfinished operations, and worker processes wake every live cluster's controllers
 * (which also schedules the periodic jobs again). Runs one at a time; a reconnect during a run queues
 * one more run.
 */
export function resumeAfterRedisOutages(deps: {
  redis: Redis;
  transport: BullTransport;
  database: Database;
  log: Logger;
  wakeClusters: boolean;
  unfinishedOperations(): Promise<string[]>;
}): void {
  const { transport, database, log } = deps;
  let running: Promise<void> | undefined;
  let again = false;
  const resume = async (): Promise<void> => {
    try {
      let woken = 0;
      if (deps.wakeClusters) {
        const live = await database.db
          .select({ id: clusters.id })
          .from(clusters)
          .where(inArray(clusters.status, ['RUNNING', 'UPDATING']))
          .all();
        await transport.rewakeAll(live.map((c) => c.id));
        woken = live.length;
      }
      await transport.resumeOperations(() => deps.unfinishedOperations());
      log.info({ clustersWoken: woken }, 'Redis is back: unfinished operations re-sent');
    } catch (err) {
      // Lost again meanwhile: the next reconnect runs this again.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not resume work after a Redis outage');
    }
    if (again) {
      again = false;
      return resume();
    }
  };
  onReconnect(deps.redis, () => {
    if (running) again = true;
    else running = resume().finally(() => (running = undefined));
  });
}

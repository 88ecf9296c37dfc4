import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRedis } from '../../../src/platform/redis.ts';

/**
 * A Redis that outlives one harness, for tests that stop a service and start another on the same
 * queues: the run's REDIS_URL under `npm test`, else a private redis-server for this file.
 */
export async function sharedRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'kates-redis-'));
  const redis = await startLocalRedis(dir);
  return {
    url: redis.url,
    async stop() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

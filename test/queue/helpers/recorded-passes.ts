import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { BullTransport } from '../../../src/platform/bullmq.ts';
import { createLogger } from '../../../src/platform/logger.ts';
import { randomString } from '../../../src/lib/ids.ts';
import type { Controller } from '../../../src/controllers/runtime.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import type { createTestStore } from '../../helpers/store.ts';

export const configMap = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'default' },
  data: { i: String(i) },
});

/** A finished pass: the queue that ran it and its cluster. */
export interface PassRecord {
  queue: string;
  clusterId: string;
}

/**
 * Real BullMQ workers (4 slots) running one controller over a test store, recording into `done`
 * every pass that completes, with the queue it ran on (main or heavy).
 */
export function startRecordedWorkers(
  redis: Redis,
  { database, store, clock }: Awaited<ReturnType<typeof createTestStore>>,
  controller: Controller,
  done: PassRecord[],
): BullTransport {
  const transport = new BullTransport(redis, `t${randomString(8)}`, createLogger('silent'));
  transport.startWorkers({
    database,
    store,
    clock,
    log: createLogger('silent'),
    controllers: [controller],
    concurrency: 4,
    billingMs: 3_600_000,
    now: () => clock.now(),
    trigger: () => undefined,
  });
  for (const w of transport.workers) w.on('completed', (job: Job) => job.data?.clusterId && done.push({ queue: w.name, clusterId: job.data.clusterId }));
  return transport;
}

/** Polls every 25 ms until `what` holds, failing after `tries` polls. */
export async function until(what: () => boolean, tries = 400): Promise<void> {
  for (let i = 0; i < tries && !what(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(what());
}

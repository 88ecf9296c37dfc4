import { openTestDatabase } from './database.ts';
import type { Database } from '../../src/store/db.ts';
import { ObjectStore } from '../../src/store/objects.ts';
import { clusters } from '../../src/store/schema/index.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { registerMeteringHook } from '../../src/billing/metering-hook.ts';

/** A manual clock for tests: time moves only when the test says so. */
export class ManualClock implements Clock {
  constructor(private ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * A real SQLite database (in memory) with migrations applied and one cluster row, for store-level
 * tests. Object writes are metered as in the service unless `metering: false`.
 */
export async function createTestStore(opts: { clusterId?: string; timeScale?: number; metering?: boolean; provider?: string } = {}) {
  const database = openTestDatabase();
  const clock = new ManualClock();
  const store = new ObjectStore(database, clock);
  if (opts.metering !== false) registerMeteringHook(store);
  const clusterId = opts.clusterId ?? 'cls_test';
  await addClusterRow(database, clusterId, clock.now(), opts.timeScale ?? 1, undefined, opts.provider);
  return { database, store, clock, clusterId };
}

export async function addClusterRow(database: Database, clusterId: string, nowMs: number, timeScale = 1, tenantId = 'ten_test', provider = 'eks') {
  await database.db
    .insert(clusters)
    .values({
      id: clusterId,
      tenantId,
      name: clusterId.replace(/_/g, '-'),
      provider,
      tier: 'standard',
      region: 'us-east-1',
      kubernetesVersion: '1.32',
      status: 'RUNNING',
      timeScale,
      clockOriginMs: nowMs,
      createdAt: nowMs,
      updatedAt: nowMs,
    })
    .run();
}

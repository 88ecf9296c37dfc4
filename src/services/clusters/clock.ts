import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters } from '../../store/schema/index.ts';

/** Moves the cluster's clock forward by `ms` (its skew); the caller wakes the controllers to re-arm their timers. */
export async function advanceClusterClock(database: Database, clusterId: string, ms: number): Promise<void> {
  await database.atomicWrite([
    {
      query: database.db
        .update(clusters)
        .set({ clockSkewMs: sql`${clusters.clockSkewMs} + ${ms}` })
        .where(eq(clusters.id, clusterId)),
    },
  ]);
}

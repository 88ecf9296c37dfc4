import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import type { ObjectQuota } from '../../kube/deps.ts';
import { objects } from '../../store/schema/index.ts';
import { getTenant } from './tenants.ts';
import { planOf } from '../../clusters/plans.ts';

/** How long a count is reused while the cluster is far from its bound. */
const FRESH_MS = 1_000;
/** Within this share of the bound, every create counts again. */
const NEAR = 0.9;
const MAX_ENTRIES = 10_000;

/**
 * The plan's objects per cluster (`maxObjectsPerCluster`) for admission. Counting a big cluster's
 * objects is a scan of its rows, so while a cluster is below nine tenths of its bound the count is
 * reused for a second, raised by one for each create admitted meanwhile (never an undercount from
 * this process); near the bound every create counts afresh.
 */
export function planObjectQuota(database: Database): ObjectQuota {
  const count = database.prepare<{ clusterId: string }>((db, bind) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(objects)
      .where(eq(objects.clusterId, bind('clusterId'))),
  );
  const cache = new Map<string, { limit: number; used: number; at: number }>();
  return {
    async check(clusterId, tenantId) {
      const hit = cache.get(clusterId);
      if (hit && Date.now() - hit.at < FRESH_MS && hit.used < hit.limit * NEAR) {
        hit.used++;
        return { limit: hit.limit, used: hit.used - 1 };
      }
      const limit = planOf((await getTenant(database, tenantId)).plan).maxObjectsPerCluster;
      const used = (await count.get<{ n: number }>({ clusterId }))?.n ?? 0;
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(clusterId, { limit, used: used + 1, at: Date.now() });
      return { limit, used };
    },
  };
}

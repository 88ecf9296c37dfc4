import { eq, sql } from 'drizzle-orm';
import type { Database, WriteStatement } from '../../store/db.ts';
import { clusters } from '../../store/schema/index.ts';

/** The top-level parts of a cluster's settings JSON, each written by its own API. */
export type ClusterSettingKey = 'labels' | 'autoscaler' | 'cloudFaults';

/**
 * A write of one part of a cluster's settings that leaves the others as they are in the row at
 * write time: `json_set` runs inside the UPDATE, so two APIs writing different parts at once both
 * land (rewriting the whole JSON read earlier would drop whichever committed first). SQLite and D1
 * both have the JSON1 functions.
 */
export function setClusterSetting(database: Database, clusterId: string, key: ClusterSettingKey, value: unknown, now: number): WriteStatement {
  return {
    query: database.db
      .update(clusters)
      .set({ settings: settingsWith(key, value), updatedAt: now })
      .where(eq(clusters.id, clusterId)),
  };
}

/** The SQL expression of the row's settings with `key` replaced by `value` (for use in a SET). */
export function settingsWith(key: ClusterSettingKey, value: unknown) {
  return sql`json_set(coalesce(${clusters.settings}, '{}'), ${`$.${key}`}, json(${JSON.stringify(value ?? null)}))`;
}

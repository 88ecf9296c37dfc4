import { and, desc, eq, lt, ne, or } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters } from '../../store/schema/index.ts';
import type { ClusterRow } from './internal.ts';

export interface ClusterPageQuery {
  /** Only clusters in this status; without it, every cluster not DELETED. */
  status?: ClusterRow['status'];
  /** The last cluster of the previous page (newest first). */
  after?: { createdAt: number; id: string };
  /** Rows wanted; one more is read to tell whether a next page exists. */
  limit: number;
}

/** A tenant's clusters, newest first, up to `limit + 1` rows. */
export async function listClusterRows(database: Database, tenantId: string, q: ClusterPageQuery): Promise<ClusterRow[]> {
  const conds = [eq(clusters.tenantId, tenantId), q.status ? eq(clusters.status, q.status) : ne(clusters.status, 'DELETED')];
  if (q.after) {
    const after = q.after;
    conds.push(or(lt(clusters.createdAt, after.createdAt), and(eq(clusters.createdAt, after.createdAt), lt(clusters.id, after.id)))!);
  }
  return database.db
    .select()
    .from(clusters)
    .where(and(...conds))
    .orderBy(desc(clusters.createdAt), desc(clusters.id))
    .limit(q.limit + 1)
    .all();
}

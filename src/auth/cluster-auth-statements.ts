import { eq } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { clusters, clusterTokens } from '../store/schema/index.ts';

/** The reads of every Kubernetes API request's authentication, prepared once per database. */
function build(database: Database) {
  return {
    cluster: database.prepare<{ id: string }>((db, bind) =>
      db
        .select({ gen: clusters.tokenGeneration, tenantId: clusters.tenantId })
        .from(clusters)
        .where(eq(clusters.id, bind('id'))),
    ),
    token: database.prepare<{ id: string }>((db, bind) =>
      db
        .select({ revokedAt: clusterTokens.revokedAt })
        .from(clusterTokens)
        .where(eq(clusterTokens.id, bind('id'))),
    ),
  };
}

const prepared = new WeakMap<Database, ReturnType<typeof build>>();

export function clusterAuthStatements(database: Database): ReturnType<typeof build> {
  let s = prepared.get(database);
  if (!s) prepared.set(database, (s = build(database)));
  return s;
}

import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { clusters, nodePools } from '../store/schema/index.ts';

/**
 * The cluster lookups every request makes (`GET /v1/clusters/{id}`, each Kubernetes API call),
 * prepared once per database so SQLite does not rebuild and recompile them per request.
 */
function build(database: Database) {
  return {
    byId: database.prepare<{ id: string }>((db, bind) =>
      db
        .select()
        .from(clusters)
        .where(eq(clusters.id, bind('id'))),
    ),
    inTenant: database.prepare<{ id: string; tenantId: string }>((db, bind) =>
      db
        .select()
        .from(clusters)
        .where(and(eq(clusters.id, bind('id')), eq(clusters.tenantId, bind('tenantId')))),
    ),
    pools: database.prepare<{ clusterId: string }>((db, bind) =>
      db
        .select()
        .from(nodePools)
        .where(eq(nodePools.clusterId, bind('clusterId')))
        .orderBy(asc(nodePools.name)),
    ),
  };
}

const prepared = new WeakMap<Database, ReturnType<typeof build>>();

/** Prepared on first use, when the schema is sure to exist. */
export function clusterStatements(database: Database): ReturnType<typeof build> {
  let s = prepared.get(database);
  if (!s) prepared.set(database, (s = build(database)));
  return s;
}

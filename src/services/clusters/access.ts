import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters, clusterTokens } from '../../store/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { ServiceError } from '../errors.ts';
import { getClusterInTenant, type ClusterRow } from './internal.ts';

/** The tenant's cluster, refused once it is being deleted: no new credentials for it. */
export async function accessibleCluster(database: Database, tenantId: string, clusterId: string): Promise<ClusterRow> {
  const cluster = await getClusterInTenant(database, tenantId, clusterId);
  if (cluster.status === 'DELETED' || cluster.status === 'DELETING') throw new ServiceError('conflict', `cluster ${cluster.id} is ${cluster.status}`);
  return cluster;
}

/** Bumps the token generation and revokes every namespace token in one write; answers the new generation. */
export async function rotateClusterTokens(database: Database, cluster: ClusterRow, now: number): Promise<number> {
  await database.atomicWrite([
    {
      query: database.db
        .update(clusters)
        .set({ tokenGeneration: sql`${clusters.tokenGeneration} + 1`, updatedAt: now })
        .where(eq(clusters.id, cluster.id)),
    },
    { query: database.db.update(clusterTokens).set({ revokedAt: now }).where(eq(clusterTokens.clusterId, cluster.id)) },
  ]);
  return cluster.tokenGeneration + 1;
}

/** Records a namespace-scoped token so it can be revoked; answers its id (the token's jti). */
export async function recordClusterToken(
  database: Database,
  token: { clusterId: string; tenantId: string; role: string; namespaces: string[] },
  now: number,
): Promise<string> {
  const id = newId('tok');
  await database.atomicWrite([
    {
      query: database.db
        .insert(clusterTokens)
        .values({ id, clusterId: token.clusterId, tenantId: token.tenantId, role: token.role, namespaces: JSON.stringify(token.namespaces), createdAt: now }),
    },
  ]);
  return id;
}

import { eq } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { clusters, clusterTokens } from '../store/schema/index.ts';
import { AuthError, type TokenService } from './tokens.ts';
import type { ClusterPrincipal } from './principal.ts';

/**
 * Authenticates a request to one cluster's Kubernetes API: a valid token for this cluster's audience,
 * of the cluster's current kubeconfig generation (rotation revokes older ones), and for
 * namespace-scoped tokens, not revoked.
 */
export function clusterAuthenticator(database: Database, tokens: TokenService) {
  return async function authenticateCluster(authorization: string | undefined, clusterId: string): Promise<ClusterPrincipal> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new AuthError('missing bearer token');
    const claims = await tokens.verifyClusterToken(m[1], clusterId);
    const cluster = await database.db.select({ gen: clusters.tokenGeneration, tenantId: clusters.tenantId }).from(clusters).where(eq(clusters.id, clusterId)).get();
    if (!cluster || cluster.tenantId !== claims.tenantId) throw new AuthError('token is not valid for this cluster');
    if (claims.generation !== cluster.gen) throw new AuthError('token was revoked by a kubeconfig rotation');
    if (claims.jti) {
      const row = await database.db.select({ revokedAt: clusterTokens.revokedAt }).from(clusterTokens).where(eq(clusterTokens.id, claims.jti)).get();
      if (!row || row.revokedAt) throw new AuthError('token was revoked');
    }
    const { generation: _g, jti: _j, ...principal } = claims;
    return principal;
  };
}

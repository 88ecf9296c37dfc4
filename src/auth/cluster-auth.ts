import type { Database } from '../store/db.ts';
import { clusterAuthStatements } from './cluster-auth-statements.ts';
import { AuthError, type TokenService } from './tokens.ts';
import type { ClusterPrincipal } from './principal.ts';
import type { RevokedKeys } from './revoked-keys.ts';
import { ServiceAccountTokens } from './service-account-tokens.ts';

/**
 * Authenticates a request to one cluster's Kubernetes API: a valid token for this cluster's audience,
 * minted with an API key that is not revoked, of the cluster's current kubeconfig generation
 * (rotation revokes older ones), and for namespace-scoped tokens, not revoked itself. ServiceAccount
 * tokens (TokenRequest) are checked by `serviceAccounts` and need only their key not revoked and the
 * cluster to be their tenant's.
 */
export function clusterAuthenticator(database: Database, tokens: TokenService, revokedKeys: RevokedKeys, serviceAccounts?: ServiceAccountTokens) {
  return async function authenticateCluster(authorization: string | undefined, clusterId: string): Promise<ClusterPrincipal> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new AuthError('missing bearer token');
    if (serviceAccounts && ServiceAccountTokens.recognizes(m[1])) {
      const sa = await serviceAccounts.authenticate(m[1], clusterId);
      if (sa.apiKeyId && (await revokedKeys.isRevoked(sa.apiKeyId))) throw new AuthError('the API key this token was issued for has been revoked');
      const owner = await clusterAuthStatements(database).cluster.get<{ gen: number; tenantId: string }>({ id: clusterId });
      if (!owner || owner.tenantId !== sa.tenantId) throw new AuthError('token is not valid for this cluster');
      return sa;
    }
    const claims = await tokens.verifyClusterToken(m[1], clusterId);
    if (claims.apiKeyId && (await revokedKeys.isRevoked(claims.apiKeyId))) throw new AuthError('the API key this token was issued for has been revoked');
    const cluster = await clusterAuthStatements(database).cluster.get<{ gen: number; tenantId: string }>({ id: clusterId });
    if (!cluster || cluster.tenantId !== claims.tenantId) throw new AuthError('token is not valid for this cluster');
    if (claims.generation !== cluster.gen) throw new AuthError('token was revoked by a kubeconfig rotation');
    if (claims.jti) {
      const row = await clusterAuthStatements(database).token.get<{ revokedAt: number | null }>({ id: claims.jti });
      if (!row || row.revokedAt) throw new AuthError('token was revoked');
    }
    const { generation: _g, jti: _j, ...principal } = claims;
    return principal;
  };
}

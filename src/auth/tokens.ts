import { SignJWT, jwtVerify, createRemoteJWKSet, decodeProtectedHeader, type JWTPayload } from 'jose';
import { SIGNING_ALG, type SigningKeys } from './signing-keys.ts';
import { asUnavailable } from '../lib/unavailable.ts';
import { VerifiedTokens } from './verified-tokens.ts';
import type { AdminPrincipal, ClusterPrincipal, TenantPrincipal, TenantRole } from './principal.ts';

export const API_AUDIENCE = 'kates-api';
export const clusterAudience = (clusterId: string) => `kates-cluster:${clusterId}`;

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

interface TokenClaims extends JWTPayload {
  tid?: string;
  role?: string;
  /** Namespaces a cluster token is limited to (empty: all). */
  ns?: string[];
  /** Kubeconfig generation; rotation bumps the cluster's and older tokens stop working. */
  gen?: number;
  /** The API key a cluster token was minted with: revoking the key ends the token. */
  key?: string;
}

export interface TokenServiceOptions {
  issuer: string;
  accessTokenTtlSeconds: number;
  clusterTokenTtlSeconds: number;
  external?: { jwksUrl: string; issuer: string; audience: string };
}

/**
 * Mints and verifies the service's JWTs. Verification pins the algorithm and requires exp, iss, aud
 * and sub (jose would accept a token without exp unless told otherwise).
 */
export class TokenService {
  private externalJwks?: ReturnType<typeof createRemoteJWKSet>;
  /** Our own tokens, verified once each until they expire (src/auth/verified-tokens.ts). */
  private readonly verified = new VerifiedTokens<TokenClaims>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly opts: TokenServiceOptions,
  ) {
    if (opts.external) this.externalJwks = createRemoteJWKSet(new URL(opts.external.jwksUrl));
  }

  async mintAccessToken(p: { subject: string; tenantId?: string; role: TenantRole | 'admin' }): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = this.opts.accessTokenTtlSeconds;
    const claims: TokenClaims = { role: p.role };
    if (p.tenantId) claims.tid = p.tenantId;
    return { token: await this.sign(claims, p.subject, API_AUDIENCE, expiresIn), expiresIn };
  }

  async mintClusterToken(p: {
    subject: string;
    tenantId: string;
    clusterId: string;
    role: ClusterPrincipal['role'];
    namespaces?: string[];
    generation: number;
    jti?: string;
    apiKeyId?: string;
  }): Promise<string> {
    const claims: TokenClaims = { tid: p.tenantId, role: p.role, ns: p.namespaces ?? [], gen: p.generation };
    if (p.jti) claims.jti = p.jti;
    if (p.apiKeyId) claims.key = p.apiKeyId;
    return this.sign(claims, p.subject, clusterAudience(p.clusterId), this.opts.clusterTokenTtlSeconds);
  }

  /** Verifies a management API token (ours or the external identity provider's). */
  async verifyAccessToken(token: string): Promise<TenantPrincipal | AdminPrincipal> {
    const { payload, external } = await this.verifyOwnOrExternal(token, API_AUDIENCE);
    // Our tokens are minted for an API key (the subject), which may since have been revoked.
    const apiKeyId = external ? undefined : payload.sub!;
    const role = payload.role;
    if (role === 'admin') return { kind: 'admin', subject: payload.sub!, apiKeyId };
    if (!payload.tid || !isTenantRole(role)) throw new AuthError('token carries no tenant role');
    return { kind: 'tenant', tenantId: payload.tid, role, subject: payload.sub!, apiKeyId };
  }

  /** Verifies a cluster token; the caller still checks generation and revocation. */
  async verifyClusterToken(token: string, clusterId: string): Promise<ClusterPrincipal & { generation: number; jti?: string }> {
    const payload = await this.verifyOwn(token, clusterAudience(clusterId));
    const role = payload.role;
    if (!payload.tid || (role !== 'cluster-admin' && role !== 'edit' && role !== 'view')) throw new AuthError('not a cluster token');
    // Kubeconfig tokens minted before the `key` claim carry the key as their subject.
    const apiKeyId = payload.key ?? (payload.jti ? undefined : payload.sub);
    return {
      kind: 'cluster',
      tenantId: payload.tid,
      clusterId,
      role,
      namespaces: payload.ns ?? [],
      subject: payload.sub!,
      apiKeyId,
      generation: payload.gen ?? 0,
      jti: payload.jti,
    };
  }

  private async sign(claims: TokenClaims, subject: string, audience: string, ttlSeconds: number): Promise<string> {
    const key = await this.keys.signingKey();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.opts.issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key.privateKey!);
  }

  /** A revoked API key's tokens are verified afresh (and refused by the revocation check) from now on. */
  forgetKey(apiKeyId: string): void {
    this.verified.dropKey(apiKeyId);
  }

  private async verifyOwn(token: string, audience: string): Promise<TokenClaims> {
    const known = this.verified.get(token, audience);
    if (known) return known;
    try {
      const { payload } = await jwtVerify<TokenClaims>(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.publicKey(header.kid) : undefined;
          if (!key) throw new AuthError('unknown signing key');
          return key;
        },
        { issuer: this.opts.issuer, audience, algorithms: [SIGNING_ALG], requiredClaims: ['exp', 'iss', 'aud', 'sub'] },
      );
      // Access tokens name their key as the subject; cluster tokens in the `key` claim.
      this.verified.set(token, audience, payload, payload.key ?? payload.sub);
      return payload;
    } catch (err) {
      // An unreachable key store is an outage (503), not a bad token.
      if (asUnavailable(err)) throw err;
      throw new AuthError(err instanceof Error ? err.message : 'invalid token');
    }
  }

  private async verifyOwnOrExternal(token: string, audience: string): Promise<{ payload: TokenClaims; external: boolean }> {
    const ext = this.opts.external;
    if (ext && this.externalJwks && !this.isOurs(token)) {
      try {
        const { payload } = await jwtVerify<TokenClaims>(token, this.externalJwks, {
          issuer: ext.issuer,
          audience: ext.audience,
          algorithms: ['RS256', 'ES256', 'EdDSA'],
          requiredClaims: ['exp', 'iss', 'aud', 'sub'],
        });
        return { payload, external: true };
      } catch (err) {
        throw new AuthError(err instanceof Error ? err.message : 'invalid token');
      }
    }
    return { payload: await this.verifyOwn(token, audience), external: false };
  }

  private isOurs(token: string): boolean {
    try {
      const h = decodeProtectedHeader(token);
      return h.alg === SIGNING_ALG && typeof h.kid === 'string' && h.kid.startsWith('k');
    } catch {
      return true;
    }
  }
}

function isTenantRole(r: unknown): r is TenantRole {
  return r === 'owner' || r === 'developer' || r === 'viewer' || r === 'billing';
}

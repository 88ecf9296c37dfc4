import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { SIGNING_ALG, type SigningKeys } from './signing-keys.ts';
import { AuthError, clusterAudience } from './tokens.ts';
import { asUnavailable } from '../lib/unavailable.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { ClusterPrincipal } from './principal.ts';

/** The private claim of a bound ServiceAccount token, as the API server writes it. */
interface KubernetesClaim {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
}

interface ServiceAccountClaims {
  'kubernetes.io'?: KubernetesClaim;
  /** Tenant and API key behind the request that minted it: revoking the key ends it too. */
  tid?: string;
  /** The cluster whose ServiceAccount it is: an audience naming another cluster does not open that one. */
  cid?: string;
  key?: string;
}

export interface MintServiceAccountToken {
  tenantId: string;
  clusterId: string;
  namespace: string;
  serviceAccount: { name: string; uid: string };
  boundObject?: { kind: 'Pod' | 'Secret'; name: string; uid: string };
  /** Empty: the cluster's API (the default audience). */
  audiences: string[];
  expirationSeconds: number;
  apiKeyId?: string;
}

/**
 * Bound ServiceAccount tokens (TokenRequest): JWTs signed with the service's signing keys, bound
 * to the ServiceAccount's uid and optionally to a pod or secret, so they stop working when that
 * object is deleted. The cluster's API accepts those whose audience is the cluster.
 */
export class ServiceAccountTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly store: ObjectStore,
  ) {}

  /** The audience a token gets when the request names none: this cluster's API. */
  static defaultAudiences(clusterId: string): string[] {
    return [clusterAudience(clusterId)];
  }

  async mint(p: MintServiceAccountToken): Promise<{ token: string; expiresAt: number }> {
    const key = await this.keys.signingKey();
    const k8s: KubernetesClaim = { namespace: p.namespace, serviceaccount: p.serviceAccount };
    if (p.boundObject?.kind === 'Pod') k8s.pod = { name: p.boundObject.name, uid: p.boundObject.uid };
    if (p.boundObject?.kind === 'Secret') k8s.secret = { name: p.boundObject.name, uid: p.boundObject.uid };
    const claims: ServiceAccountClaims = { 'kubernetes.io': k8s, tid: p.tenantId, cid: p.clusterId };
    if (p.apiKeyId) claims.key = p.apiKeyId;
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + p.expirationSeconds;
    const token = await new SignJWT(claims as Record<string, unknown>)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(p.audiences.length ? p.audiences : ServiceAccountTokens.defaultAudiences(p.clusterId))
      .setSubject(`system:serviceaccount:${p.namespace}:${p.serviceAccount.name}`)
      .setJti(crypto.randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .sign(key.privateKey!);
    return { token, expiresAt: expiresAt * 1000 };
  }

  /** Whether a bearer token is a ServiceAccount token (decided from its unverified claims). */
  static recognizes(token: string): boolean {
    try {
      return typeof decodeJwt(token)['kubernetes.io'] === 'object';
    } catch {
      return false;
    }
  }

  /**
   * Verifies a ServiceAccount token for this cluster's API: signature, issuer, expiry, the cluster
   * as audience, and that the ServiceAccount (and the pod or secret it is bound to) still exists
   * with the uid it had when the token was minted.
   */
  async authenticate(token: string, clusterId: string): Promise<ClusterPrincipal> {
    let payload: ServiceAccountClaims & { sub?: string; jti?: string };
    try {
      ({ payload } = await jwtVerify<ServiceAccountClaims>(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.publicKey(header.kid) : undefined;
          if (!key) throw new AuthError('unknown signing key');
          return key;
        },
        { issuer: this.issuer, audience: clusterAudience(clusterId), algorithms: [SIGNING_ALG], requiredClaims: ['exp', 'iss', 'aud', 'sub'] },
      ));
    } catch (err) {
      if (asUnavailable(err)) throw err;
      throw new AuthError(err instanceof Error ? err.message : 'invalid token');
    }
    const k8s = payload['kubernetes.io'];
    if (!k8s?.namespace || !k8s.serviceaccount?.name || !payload.tid) throw new AuthError('not a service account token');
    if (payload.cid !== clusterId) throw new AuthError('token is not valid for this cluster');
    const alive = async (resource: string, name: string, uid: string) => {
      const obj = await this.store.get(clusterId, resource, k8s.namespace, name);
      return !!obj && obj.metadata.uid === uid && !obj.metadata.deletionTimestamp;
    };
    if (!(await alive('serviceaccounts', k8s.serviceaccount.name, k8s.serviceaccount.uid))) throw new AuthError('service account has been deleted');
    if (k8s.pod && !(await alive('pods', k8s.pod.name, k8s.pod.uid))) throw new AuthError('the pod this token is bound to has been deleted');
    if (k8s.secret && !(await alive('secrets', k8s.secret.name, k8s.secret.uid))) throw new AuthError('the secret this token is bound to has been deleted');
    const username = `system:serviceaccount:${k8s.namespace}:${k8s.serviceaccount.name}`;
    const extra: Record<string, string[]> = {};
    if (payload.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${payload.jti}`];
    if (k8s.pod) extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
    if (k8s.pod) extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    return {
      kind: 'cluster',
      tenantId: payload.tid,
      clusterId,
      role: 'serviceaccount',
      namespaces: [k8s.namespace],
      subject: username,
      apiKeyId: payload.key,
      user: {
        username,
        uid: k8s.serviceaccount.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`, 'system:authenticated'],
        extra,
      },
    };
  }
}

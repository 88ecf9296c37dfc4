import { decodeJwt } from 'jose';
import type { Hono, MiddlewareHandler } from 'hono';
import { clusterAudience } from '../auth/tokens.ts';

/**
 * The Kubernetes API at the root of a host, as EKS, GKE and AKS serve it. A request is for a
 * cluster's API when its host is `cls-<id>.<KUBE_CLUSTER_DOMAIN>` (the operator's wildcard domain),
 * or when it carries a bearer token whose audience is a cluster (a kubeconfig token names its
 * cluster). Everything else, unauthenticated requests included, stays with the management API, so
 * an anonymous caller learns nothing about which clusters exist. The old path form
 * `/clusters/{id}/k8s` keeps working.
 */

const AUDIENCE_PREFIX = clusterAudience('');
const CLUSTER_ID = /^cls_[0-9a-z]{1,64}$/;

/** Requests the pathless routing rewrote, so the API can give root-relative URLs (OpenAPI index). */
const pathless = new WeakSet<Request>();
export const isPathless = (req: Request): boolean => pathless.has(req);

/** `cls-<id>.<domain>` → `cls_<id>`; undefined for any other host (the domain itself, other names). */
export function clusterIdFromHost(host: string | undefined, domain: string | undefined): string | undefined {
  if (!host || !domain) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${domain.toLowerCase().replace(/^\.+|\.+$/g, '')}`;
  if (!name.endsWith(suffix)) return undefined;
  const label = name.slice(0, -suffix.length);
  const id = label.replace(/^cls-/, 'cls_');
  return label.startsWith('cls-') && CLUSTER_ID.test(id) ? id : undefined;
}

/** The host name a cluster's API answers on under the wildcard domain. */
export function clusterHost(clusterId: string, domain: string): string {
  return `${clusterId.replace('_', '-')}.${domain.replace(/^\.+|\.+$/g, '')}`;
}

/**
 * The cluster a bearer token's audience names; undefined without one. The token is only read here,
 * not trusted: the cluster's API verifies it as for any request.
 */
export function clusterIdFromToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  let aud: unknown;
  try {
    aud = decodeJwt(m[1]).aud;
  } catch {
    return undefined;
  }
  const found = (Array.isArray(aud) ? aud : [aud]).find((a): a is string => typeof a === 'string' && a.startsWith(AUDIENCE_PREFIX));
  const id = found?.slice(AUDIENCE_PREFIX.length);
  return id && CLUSTER_ID.test(id) ? id : undefined;
}

/** Management paths a cluster token never redirects (the Kubernetes API has none of them). */
const MANAGEMENT_ONLY = /^\/(v1(\/|$)|clusters\/|console(\/|$)|docs$|openapi\.yaml$|\.well-known\/jwks\.json$)/;

/** The server URL a kubeconfig of this cluster names: its own host under the domain, else the service root. */
export function kubeServerUrl(publicUrl: string, clusterId: string, domain?: string): string {
  if (!domain) return publicUrl;
  const u = new URL(publicUrl);
  return `${u.protocol}//${clusterHost(clusterId, domain)}${u.port ? `:${u.port}` : ''}`;
}

/** Middleware that hands cluster requests to `clusterApi` (which serves `/clusters/:clusterId/k8s/...`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pathlessKubeRouting(clusterApi: Hono<any>, config: { kubeClusterDomain?: string }): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const byHost = clusterIdFromHost(c.req.header('host') ?? url.host, config.kubeClusterDomain);
    const clusterId = byHost ?? (MANAGEMENT_ONLY.test(url.pathname) ? undefined : clusterIdFromToken(c.req.header('authorization')));
    if (!clusterId) return next();
    const raw = c.req.raw;
    const target = new URL(`/clusters/${clusterId}/k8s${url.pathname === '/' ? '' : url.pathname}${url.search}`, url);
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD';
    const req = new Request(target, {
      method: raw.method,
      headers: raw.headers,
      body: hasBody ? raw.body : undefined,
      signal: raw.signal,
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
    pathless.add(req);
    let executionCtx;
    try {
      executionCtx = c.executionCtx;
    } catch {
      executionCtx = undefined; // Node has no execution context
    }
    return clusterApi.fetch(req, c.env, executionCtx);
  };
}

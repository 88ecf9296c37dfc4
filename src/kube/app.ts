import { Hono, type Context } from 'hono';
import { StoreError } from '../store/errors.ts';
import type { KubeDeps } from './deps.ts';
import { defaultRegistry, type Registry } from './registry/index.ts';
import { parseApiPath, type ApiPath } from './path.ts';
import { fromStoreError, internalError, KubeError, unauthorized, failure, tooManyRequests, serviceUnavailable } from './status.ts';
import { asUnavailable } from '../lib/unavailable.ts';
import { aggregatedDiscovery, aggregatedVersion, AGGREGATED_V2, AGGREGATED_V2BETA1, legacyApiVersions, legacyGroup, legacyGroupList, resourceList } from './discovery.ts';
import { openapiGroupVersion, openapiIndex } from './openapi/v3.ts';
import { openapiV2 } from './openapi/v2.ts';
import { cachedBytes, cachedDocument } from './openapi/cache.ts';
import { encodeOpenapiV2, OPENAPI_V2_PROTOBUF } from './openapi/v2-protobuf.ts';
import { DEFAULT_KUBERNETES_VERSION, versionInfo } from './version.ts';
import { metricsResources } from './handlers/metrics.ts';
import { dispatchResource } from './handlers/dispatch.ts';
import { isPathless } from './pathless.ts';
import type { KubeResponse } from './handlers/context.ts';
import { impersonate } from './auth/impersonate.ts';
import { ClusterRegistries } from './crd/cluster-registry.ts';

export type { KubeDeps } from './deps.ts';

const notFoundPath = () => failure(404, 'NotFound', 'the server could not find the requested resource', {});

function send(res: KubeResponse, warnings: string[] = []): Response {
  const headers: Record<string, string> = { 'content-type': res.contentType ?? 'application/json', ...(res.headers ?? {}) };
  const body = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  const h = new Headers(headers);
  for (const w of warnings) h.append('Warning', `299 - ${JSON.stringify(w)}`);
  return new Response(body, { status: res.status, headers: h });
}

function errorResponse(err: unknown, deps: KubeDeps): Response {
  let ke: KubeError;
  const unavailable = asUnavailable(err);
  if (err instanceof KubeError) ke = err;
  else if (err instanceof StoreError) ke = fromStoreError(err, { plural: err.details.resource ?? '', group: '', kind: '' });
  else if (unavailable) ke = serviceUnavailable(unavailable.message, unavailable.retryAfterSeconds);
  else {
    deps.logger?.error({ err: err instanceof Error ? err.stack : String(err) }, 'kube api request failed');
    ke = internalError(err);
  }
  return send({ status: ke.code, body: ke.status, headers: ke.headers });
}

/**
 * The Kubernetes API of every virtual cluster, mounted by the caller under a prefix that carries
 * the cluster id (`/clusters/:clusterId/k8s`). Everything below `/api`, `/apis` and `/openapi`
 * needs a cluster token; `/version` answers anyone (the cluster's own version only to its tokens).
 */
export function createKubeApp(deps: KubeDeps): Hono {
  const builtins: Registry = deps.metricsApi ? defaultRegistry.with(metricsResources) : defaultRegistry;
  // Built-in kinds plus each cluster's CustomResourceDefinitions.
  const registries = new ClusterRegistries(builtins);
  const registryOf = (clusterId: string) => registries.forCluster(deps.store, clusterId);
  const app = new Hono();

  const clusterOf = async (c: Context) => {
    const clusterId = c.req.param('clusterId') ?? '';
    const cluster = await deps.clusterInfo(clusterId);
    if (!cluster) throw failure(404, 'NotFound', `cluster "${clusterId}" not found`, {});
    return { clusterId, cluster };
  };
  const principalOf = async (c: Context) => {
    try {
      return await deps.authenticate(c.req.header('authorization'), c.req.param('clusterId') ?? '');
    } catch (err) {
      if (asUnavailable(err)) throw err;
      throw unauthorized();
    }
  };
  // The token first: a caller without one gets the same 401 whether or not the cluster exists, so
  // cluster ids cannot be probed; only the cluster's own tenant can learn that it was deleted.
  const authenticated = async (c: Context) => {
    const principal = await principalOf(c);
    if (deps.rateLimiter) {
      const r = await deps.rateLimiter.take(`${c.req.param('clusterId') ?? ''}:${principal.subject}`);
      if (!r.allowed) throw tooManyRequests('Too many requests, please try again later.', r.retryAfterSeconds ?? 1);
    }
    const { clusterId, cluster } = await clusterOf(c);
    // Impersonate-* headers: the rest of the request runs as the impersonated user.
    return { clusterId, cluster, principal: await impersonate({ deps, clusterId, principal }, c.req.raw.headers) };
  };
  const guard = (fn: (c: Context) => Promise<Response>) => async (c: Context) => {
    try {
      return await fn(c);
    } catch (err) {
      return errorResponse(err, deps);
    }
  };

  // kubectl's dispatcher reads /version to pick its binary and sends the kubeconfig's token: with a
  // token of this cluster it gets the cluster's version; without one, every id (existing or not)
  // gets the same default answer.
  app.get('/version', guard(async (c) => {
    const shown = await principalOf(c).then(() => true, () => false);
    const version = shown ? (await clusterOf(c)).cluster.kubernetesVersion : DEFAULT_KUBERNETES_VERSION;
    return send({ status: 200, body: versionInfo(version) });
  }));
  for (const p of ['/healthz', '/livez', '/readyz']) app.get(p, (c) => c.text('ok'));

  const discovery = (core: boolean) =>
    guard(async (c) => {
      const registry = await registryOf((await authenticated(c)).clusterId);
      const agg = aggregatedVersion(c.req.header('accept'));
      if (agg) return send({ status: 200, body: aggregatedDiscovery(registry, core, agg), contentType: agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1 });
      return send({ status: 200, body: core ? legacyApiVersions() : legacyGroupList(registry) });
    });
  app.get('/api', discovery(true));
  app.get('/apis', discovery(false));

  // kubectl asks for protobuf (client-side apply reads patch strategies from it); other clients for JSON.
  app.get('/openapi/v2', guard(async (c) => {
    const registry = await registryOf((await authenticated(c)).clusterId);
    const accept = c.req.header('accept') ?? '';
    const shared = registry === builtins;
    if (/protobuf/.test(accept)) {
      const bytes = shared ? cachedBytes(registry, 'v2', () => encodeOpenapiV2(openapiV2(registry))) : encodeOpenapiV2(openapiV2(registry));
      // Upstream answers this one as octet-stream: the '@' in the requested type is no valid MIME token.
      return new Response(bytes, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    }
    if (accept && !/application\/json|\*\/\*/.test(accept)) throw failure(406, 'NotAcceptable', `only the following media types are accepted: application/json, ${OPENAPI_V2_PROTOBUF}`, {});
    return send({ status: 200, body: shared ? cachedDocument(registry, 'v2', () => openapiV2(registry)) : openapiV2(registry) });
  }));
  app.get('/openapi/v3', guard(async (c) => {
    const registry = await registryOf((await authenticated(c)).clusterId);
    const prefix = isPathless(c.req.raw) ? '' : c.req.path.slice(0, c.req.path.length - '/openapi/v3'.length);
    return send({ status: 200, body: openapiIndex(registry, prefix) });
  }));
  app.get('/openapi/v3/:rest{.+}', guard(async (c) => {
    const registry = await registryOf((await authenticated(c)).clusterId);
    const segs = (c.req.param('rest') ?? '').split('/');
    const [group, version] = segs[0] === 'api' ? ['', segs[1]] : segs[0] === 'apis' ? [segs[1], segs[2]] : ['', ''];
    if (!version || !registry.hasGroupVersion(group, version)) throw notFoundPath();
    const build = () => openapiGroupVersion(registry, group, version);
    // Built-in kinds' documents are the same for every cluster: kept; a cluster with CRDs gets its own each time.
    return send({ status: 200, body: registry === builtins ? cachedDocument(registry, `v3/${group}/${version}`, build) : build() });
  }));

  const resources = (core: boolean) =>
    guard(async (c) => {
      const ctx = await authenticated(c);
      const registry = await registryOf(ctx.clusterId);
      const path: ApiPath = parseApiPath(registry, core, c.req.param('rest') ?? '');
      switch (path.type) {
        case 'group-version':
          return send({ status: 200, body: resourceList(registry, path.group, path.version) });
        case 'group': {
          const g = legacyGroup(registry, path.group);
          if (!g) throw notFoundPath();
          return send({ status: 200, body: g });
        }
        case 'resource':
          return dispatchResource(c, deps, registry, ctx, path, send);
        default:
          throw notFoundPath();
      }
    });
  app.all('/api/:rest{.+}', resources(true));
  app.all('/apis/:rest{.+}', resources(false));
  app.all('*', guard(async () => {
    throw notFoundPath();
  }));
  return app;
}

import { Hono, type Context } from 'hono';
import type { KubeDeps } from './deps.ts';
import { defaultRegistry, type Registry } from './registry/index.ts';
import { parseApiPath } from './path.ts';
import { failure } from './status.ts';
import {
  aggregatedDiscovery,
  aggregatedVersion,
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  resourceList,
} from './discovery.ts';
import { DEFAULT_KUBERNETES_VERSION, versionInfo } from './version.ts';
import { metricsResources } from './handlers/metrics.ts';
import { dispatchResource } from './handlers/dispatch.ts';
import { openapiV2Document, openapiV3GroupVersion, openapiV3Index } from './handlers/openapi.ts';
import { send } from './handlers/send.ts';
import { ClusterRegistries } from './crd/cluster-registry.ts';
import type { KubeEnv } from './middleware/env.ts';
import { clusterAccess } from './middleware/access.ts';
import { verifyClusterToken } from './middleware/authenticate.ts';
import { findCluster } from './middleware/cluster.ts';
import { kubeErrorHandler } from './middleware/errors.ts';

export type { KubeDeps } from './deps.ts';

const notFoundPath = () => failure(404, 'NotFound', 'the server could not find the requested resource', {});

/**
 * The Kubernetes API of every virtual cluster, mounted by the caller under a prefix that carries
 * the cluster id (`/clusters/:clusterId/k8s`). Everything below `/api`, `/apis` and `/openapi`
 * runs through `clusterAccess` (token, budget, cluster, impersonation); `/version` answers anyone
 * (the cluster's own version only to its tokens). Every error becomes a Status in `onError`.
 */
export function createKubeApp(deps: KubeDeps): Hono {
  const builtins: Registry = deps.metricsApi ? defaultRegistry.with(metricsResources) : defaultRegistry;
  // Built-in kinds plus each cluster's CustomResourceDefinitions.
  const registries = new ClusterRegistries(builtins);
  const registryOf = (c: Context) => registries.forCluster(deps.store, c.req.param('clusterId') ?? '');
  const access = clusterAccess(deps);
  const app = new Hono<KubeEnv>();

  // kubectl's dispatcher reads /version to pick its binary and sends the kubeconfig's token: with a
  // token of this cluster it gets the cluster's version; without one, every id (existing or not)
  // gets the same default answer.
  app.get('/version', async (c) => {
    const shown = await verifyClusterToken(deps, c).then(
      () => true,
      () => false,
    );
    const version = shown ? (await findCluster(deps, c)).kubernetesVersion : DEFAULT_KUBERNETES_VERSION;
    return send({ status: 200, body: versionInfo(version) });
  });
  for (const p of ['/healthz', '/livez', '/readyz']) app.get(p, (c) => c.text('ok'));

  const discovery = (core: boolean) => async (c: Context<KubeEnv>) => {
    const registry = await registryOf(c);
    const agg = aggregatedVersion(c.req.header('accept'));
    if (agg) return send({ status: 200, body: aggregatedDiscovery(registry, core, agg), contentType: agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1 });
    return send({ status: 200, body: core ? legacyApiVersions() : legacyGroupList(registry) });
  };
  app.get('/api', access, discovery(true));
  app.get('/apis', access, discovery(false));

  app.get('/openapi/v2', access, async (c) => {
    const registry = await registryOf(c);
    return openapiV2Document(c, registry, registry === builtins);
  });
  app.get('/openapi/v3', access, async (c) => openapiV3Index(c, await registryOf(c)));
  app.get('/openapi/v3/:rest{.+}', access, async (c) => {
    const registry = await registryOf(c);
    return openapiV3GroupVersion(c, registry, registry === builtins);
  });

  const resources = (core: boolean) => async (c: Context<KubeEnv>) => {
    const registry = await registryOf(c);
    const path = parseApiPath(registry, core, c.req.param('rest') ?? '');
    switch (path.type) {
      case 'group-version':
        return send({ status: 200, body: resourceList(registry, path.group, path.version) });
      case 'group': {
        const g = legacyGroup(registry, path.group);
        if (!g) throw notFoundPath();
        return send({ status: 200, body: g });
      }
      case 'resource':
        return dispatchResource(c, deps, registry, path);
      default:
        throw notFoundPath();
    }
  };
  app.all('/api/:rest{.+}', access, resources(true));
  app.all('/apis/:rest{.+}', access, resources(false));
  app.all('*', () => {
    throw notFoundPath();
  });
  app.onError(kubeErrorHandler(deps));
  // Mounted into apps of other context types (src/app.ts, tests); its own variables are set above.
  return app as unknown as Hono;
}

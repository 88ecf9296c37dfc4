import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.ts';
import { errorResponse, toApiError, validationError } from './errors.ts';
import { authenticate } from './middleware/auth.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { bodyGuard } from './middleware/body-guard.ts';
import { registerCreateToken } from './routes/auth/token.ts';
import { registerCreateTenant } from './routes/tenants/create.ts';
import { registerGetTenant } from './routes/tenants/get.ts';
import { registerListTenants } from './routes/tenants/list.ts';
import { registerDeleteTenant } from './routes/tenants/delete.ts';
import { registerApiKeys } from './routes/tenants/api-keys.ts';
import { registerCreateCluster } from './routes/clusters/create.ts';
import { registerReadClusters } from './routes/clusters/read.ts';
import { registerWriteClusters } from './routes/clusters/write.ts';
import { registerClusterAccess } from './routes/clusters/access.ts';
import { registerGetOperation } from './routes/operations/get.ts';
import { registerListOperations } from './routes/operations/list.ts';
import { registerSimulation } from './routes/clusters/simulation.ts';
import { registerBillingRoutes } from './routes/billing/index.ts';
import { registerEstimateRoutes } from './routes/estimates/index.ts';
import { registerCostRoutes } from './routes/costs/index.ts';
import { registerMonitoringRoutes } from './routes/monitoring/index.ts';
import { registerTrafficRoutes } from './routes/traffic/index.ts';
import { registerCloudFaultRoutes } from './routes/cloud-faults/index.ts';
import { registerAutoscalerRoutes } from './routes/autoscaler/index.ts';
import { registerNodePoolRoutes } from './routes/node-pools/index.ts';
import { registerUpgradeCluster } from './routes/clusters/upgrade.ts';
import { registerKubernetesVersions } from './routes/versions/index.ts';

/** Every /v1 route module; each registers its operations on the app. */
const routeModules: ((app: OpenAPIHono<AppEnv>) => void)[] = [
  registerCreateToken,
  registerCreateTenant,
  registerGetTenant,
  registerListTenants,
  registerDeleteTenant,
  registerApiKeys,
  registerCreateCluster,
  registerReadClusters,
  registerWriteClusters,
  registerClusterAccess,
  registerGetOperation,
  registerListOperations,
  registerSimulation,
  registerBillingRoutes,
  registerEstimateRoutes,
  registerCostRoutes,
  registerMonitoringRoutes,
  registerTrafficRoutes,
  registerCloudFaultRoutes,
  registerAutoscalerRoutes,
  registerNodePoolRoutes,
  registerUpgradeCluster,
  registerKubernetesVersions,
];

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'kates management API',
    version: '1.0.0',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    description:
      "Create, resize and delete virtual Kubernetes clusters, download kubeconfigs, and read billing and monitoring reports. Each cluster also serves a Kubernetes API (not described here) at the server its kubeconfig names: the service root, where the kubeconfig token tells the cluster, or its own host under the operator's wildcard domain; /clusters/{id}/k8s keeps working.",
  },
  servers: [{ url: '/' }],
};

/** The /v1 management API. `limitPerMinute` applies per tenant. */
export function createManagementApi(limitPerMinute: number): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.use('/v1/*', async (c, next) => {
    if (c.req.path === '/v1/auth/token') return next();
    return authenticate()(c, next);
  });
  app.use('/v1/*', async (c, next) => rateLimit(c.get('deps').rateLimiter, limitPerMinute)(c, next));
  app.use('/v1/*', bodyGuard());
  for (const register of routeModules) register(app);
  app.onError((err, c) => errorResponse(c, toApiError(err)));
  app.notFound((c) => errorResponse(c, toApiError(Object.assign(new Error('not found'), {}))));
  return app;
}

export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document(OPENAPI_INFO as Parameters<typeof app.getOpenAPI31Document>[0]);
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterAccepted, ClusterIdParam } from './schemas.ts';
import { UpgradeClusterRequest } from '../node-pools/schemas.ts';
import { ApiError, validationError } from '../../errors.ts';
import { upgradeCluster } from '../../../services/clusters/upgrade.ts';
import { clusterView, poolsOf } from '../../../services/clusters/internal.ts';
import { dispatchOperation } from '../../../services/operations/dispatch.ts';
import { operationView } from '../../../services/operations/operations.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/clusters/{clusterId}:upgrade',
  operationId: 'upgradeCluster',
  tags: ['clusters'],
  summary: 'Upgrade the control plane one minor version, then each node pool with its surge settings',
  description:
    'Answers 202 with the UPGRADE_CLUSTER operation; its `steps` show the control plane and each pool. New nodes at the new version join, old ones are cordoned, drained (PodDisruptionBudgets honoured) and removed. Skipping a minor version, downgrading, or leaving a pool more than three minors behind is refused with 422.',
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: UpgradeClusterRequest } }, required: true } },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: ClusterAccepted } } }, ...errors(400, 401, 403, 404, 409, 422, 429) },
});

/**
 * Hono's router reads `{clusterId}:upgrade` as one parameter named `clusterId:upgrade`, so the
 * operation is documented with the route above and served by a plain handler whose path pattern
 * only matches segments ending in `:upgrade`; it validates the body with the same schema.
 */
export function registerUpgradeCluster(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath(route);
  app.post('/v1/clusters/:target{[^/]+:upgrade}', async (c) => handle(c));
}

async function handle(c: Context<AppEnv>) {
  const p = requireTenant(c, WRITE_ROLES);
  const deps = c.get('deps');
  const clusterId = c.req.param('target')!.slice(0, -':upgrade'.length);
  if (!ClusterIdParam.safeParse({ clusterId }).success || !clusterId) throw new ApiError('NOT_FOUND', `no endpoint ${c.req.path}`);
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json'))
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json');
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError('BAD_REQUEST', 'the request body is not valid JSON');
  }
  const body = UpgradeClusterRequest.safeParse(raw);
  if (!body.success) throw validationError(body.error, 'json');
  const { cluster, operation } = await upgradeCluster(deps.database, p.tenantId, clusterId, body.data, deps.clock.now());
  await dispatchOperation(deps, operation.id);
  return c.json({ ...clusterView(cluster, await poolsOf(deps.database, clusterId), deps.config.publicUrl), operation: operationView(operation) }, 202);
}

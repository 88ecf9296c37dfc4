import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterAccepted, ClusterIdParam, ClusterSchema, UpdateClusterRequest } from './schemas.ts';
import { deleteCluster, updateCluster } from '../../../services/clusters/update.ts';
import { clusterView, poolsOf } from '../../../services/clusters/internal.ts';
import { dispatchOperation } from '../../../services/operations/dispatch.ts';
import { operationView } from '../../../services/operations/operations.ts';
import { clusterAutoscalerController } from '../../../autoscaling/cluster-autoscaler/controller.ts';

const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/clusters/{clusterId}',
  operationId: 'updateCluster',
  tags: ['clusters'],
  summary: 'Change node pool counts and autoscaling bounds, or labels',
  description: 'Labels apply at once (200). A pool count change answers 202 with the UPDATE_CLUSTER operation.',
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: UpdateClusterRequest } }, required: true } },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: ClusterSchema } } },
    202: { description: 'Accepted: nodes are being added or removed', content: { 'application/json': { schema: ClusterAccepted } } },
    ...errors(400, 401, 403, 404, 409, 422, 429),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/clusters/{clusterId}',
  operationId: 'deleteCluster',
  tags: ['clusters'],
  summary: 'Delete a cluster; it ends DELETED and stays readable for billing',
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: ClusterAccepted } } }, ...errors(401, 403, 404, 409, 429) },
});

export function registerWriteClusters(app: OpenAPIHono<AppEnv>) {
  app.openapi(patchRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const { clusterId } = c.req.valid('param');
    const { cluster, operation } = await updateCluster(deps.database, p.tenantId, clusterId, c.req.valid('json'), deps.clock.now());
    const view = clusterView(cluster, await poolsOf(deps.database, clusterId), deps.config.publicUrl);
    // Pool bounds and autoscaling live in the cluster row, not in objects: the autoscaler looks again.
    if (!operation) {
      await deps.queue.enqueueReconcile(clusterId, clusterAutoscalerController.name);
      return c.json(view, 200);
    }
    await dispatchOperation(deps, operation.id);
    return c.json({ ...view, operation: operationView(operation) }, 202);
  });

  app.openapi(deleteRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const { clusterId } = c.req.valid('param');
    const { cluster, operation } = await deleteCluster(deps.database, p.tenantId, clusterId, deps.clock.now());
    await dispatchOperation(deps, operation.id);
    return c.json({ ...clusterView(cluster, await poolsOf(deps.database, clusterId), deps.config.publicUrl), operation: operationView(operation) }, 202);
  });
}

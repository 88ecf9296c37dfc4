import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { ApiError } from '../../errors.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam } from '../clusters/schemas.ts';
import { getClusterInTenant, poolsOf } from '../../../services/clusters/internal.ts';
import { setClusterSetting } from '../../../services/clusters/settings.ts';
import { clusterAutoscalerController } from '../../../autoscaling/cluster-autoscaler/controller.ts';
import { cloudFaultsOf } from '../../../autoscaling/cluster-autoscaler/cloud-faults.ts';
import { CloudFaultsRequest, CloudFaultsResponse } from './schemas.ts';

const getRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/cloud-faults',
  operationId: 'getCloudFaults',
  tags: ['simulation'],
  summary: "The simulated cloud's faults per node pool (stock-outs, quotas, nodes that never join)",
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'Cloud faults', content: { 'application/json': { schema: CloudFaultsResponse } } }, ...errors(401, 403, 404, 429) },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/clusters/{clusterId}/cloud-faults',
  operationId: 'putCloudFaults',
  tags: ['simulation'],
  summary: "Replace the simulated cloud's faults per node pool; an empty list heals every pool",
  description:
    'New nodes the cluster autoscaler asks of a faulty pool fail (reported on its next loop) or never register (given up after maxNodeProvisionTimeSeconds). Either way the pool backs off and the next scale-up goes to another pool. Manual resizes are not affected.',
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: CloudFaultsRequest } }, required: true } },
  responses: {
    200: { description: 'Cloud faults', content: { 'application/json': { schema: CloudFaultsResponse } } },
    ...errors(400, 401, 403, 404, 409, 422, 429),
  },
});

/** GET/PUT /v1/clusters/{id}/cloud-faults: kept under `cloudFaults` in the cluster's settings. */
export function registerCloudFaultRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const row = await getClusterInTenant(c.get('deps').database, p.tenantId, c.req.valid('param').clusterId);
    return c.json({ nodePools: cloudFaultsOf(row.settings) }, 200);
  });

  app.openapi(putRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    if (row.status === 'DELETED' || row.status === 'DELETING') throw new ApiError('CONFLICT', `cluster ${row.id} is ${row.status}`);
    const body = c.req.valid('json');
    const pools = new Set((await poolsOf(deps.database, row.id)).map((x) => x.name));
    const unknown = body.nodePools.findIndex((f) => !pools.has(f.nodePool));
    if (unknown >= 0) {
      throw new ApiError('VALIDATION_FAILED', `cluster ${row.id} has no node pool ${body.nodePools[unknown].nodePool}`, {
        issues: [{ field: `nodePools.${unknown}.nodePool`, message: 'no such node pool' }],
      });
    }
    // Only the cloud-faults part is written: a concurrent write of another part (autoscaler, labels) stays.
    await deps.database.atomicWrite([setClusterSetting(deps.database, row.id, 'cloudFaults', body.nodePools, deps.clock.now())]);
    await deps.queue.enqueueReconcile(row.id, clusterAutoscalerController.name);
    return c.json({ nodePools: cloudFaultsOf(JSON.stringify({ cloudFaults: body.nodePools })) }, 200);
  });
}

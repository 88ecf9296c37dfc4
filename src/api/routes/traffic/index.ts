import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam } from '../clusters/schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { getTrafficSpec, loadTrafficDemand, putTrafficSpec } from '../../../traffic/store.ts';
import { metricsController } from '../../../metrics/controller.ts';
import { TrafficRequest, TrafficResponse } from './schemas.ts';
import { ApiError } from '../../errors.ts';

const getRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/traffic',
  operationId: 'getTraffic',
  tags: ['autoscaling'],
  summary: "The cluster's traffic model and the load each Service gets now",
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'Traffic model', content: { 'application/json': { schema: TrafficResponse } } }, ...errors(401, 403, 404, 429) },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/clusters/{clusterId}/traffic',
  operationId: 'putTraffic',
  tags: ['autoscaling'],
  summary: 'Set requests per second per Service (constant or a daily profile) and what a request costs',
  description:
    "Load spreads evenly over each Service's ready endpoints and adds to the serving container's CPU and memory usage, which metrics, the HPA and the VPA see.",
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: TrafficRequest } }, required: true } },
  responses: {
    200: { description: 'Traffic model', content: { 'application/json': { schema: TrafficResponse } } },
    ...errors(400, 401, 403, 404, 409, 422, 429),
  },
});

async function view(c: Context<AppEnv>, clusterId: string) {
  const deps = c.get('deps');
  const { spec, updatedAt } = await getTrafficSpec(deps.database, clusterId);
  const now = await deps.store.clusterNow(clusterId);
  const demand = await loadTrafficDemand(deps.store, clusterId, now);
  return {
    services: spec.services,
    updatedAt: updatedAt ? new Date(updatedAt).toISOString() : null,
    clusterTime: new Date(now).toISOString(),
    current: demand.services,
  };
}

/** GET/PUT /v1/clusters/{id}/traffic: owner and developer write, viewer reads. */
export function registerTrafficRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const row = await getClusterInTenant(c.get('deps').database, p.tenantId, c.req.valid('param').clusterId);
    return c.json(await view(c, row.id), 200);
  });

  app.openapi(putRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    if (row.status === 'DELETED' || row.status === 'DELETING') throw new ApiError('CONFLICT', `cluster ${row.id} is ${row.status}`);
    await putTrafficSpec(deps.database, row.id, c.req.valid('json'), deps.clock.now());
    // Usage follows the traffic model: the metrics pipeline records the new load now.
    await deps.queue.enqueueReconcile(row.id, metricsController.name);
    return c.json(await view(c, row.id), 200);
  });
}

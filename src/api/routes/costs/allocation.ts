import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, CostAllocationSchema, CostsQuery } from './schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { clusterCostAllocation } from '../../../billing/allocation/read.ts';
import type { AllocationGroupBy } from '../../../billing/allocation/allocate.ts';
import { clusterWindow } from './window.ts';
import { podUsageByHour } from '../../../billing/allocation/usage.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/costs',
  operationId: 'getClusterCosts',
  tags: ['billing'],
  summary: "Allocate the cluster's cost to namespaces, workloads or a label (OpenCost model)",
  security: bearer,
  request: { params: ClusterIdParam, query: CostsQuery },
  responses: { 200: { description: 'Cost allocation', content: { 'application/json': { schema: CostAllocationSchema } } }, ...errors(401, 403, 404, 422, 429) },
});

export function registerClusterCosts(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const q = c.req.valid('query');
    const now = deps.clock.now();
    const [fromMs, toMs] = clusterWindow(row, q, now);
    const { totalMicro: _t, ...allocation } = await clusterCostAllocation(deps.database.db, {
      usage: await podUsageByHour(deps.database, row.id, fromMs, toMs),
      realNowMs: now,
      clusterId: row.id,
      fromMs,
      toMs,
      groupBy: q.groupBy as AllocationGroupBy,
      shareIdle: q.shareIdle,
    });
    return c.json(allocation, 200);
  });
}

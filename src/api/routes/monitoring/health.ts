import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, HealthSchema } from './schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { clusterHealth } from '../../../monitoring/health.ts';
import { clusterTime } from '../../../lib/clock.ts';
import { clusterClockOf } from './window.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/health',
  operationId: 'getClusterHealth',
  tags: ['monitoring'],
  summary: 'Nodes ready, workloads available, crash-looping and unschedulable pods, with the reasons Kubernetes gives',
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'Cluster health now', content: { 'application/json': { schema: HealthSchema } } }, ...errors(401, 403, 404, 429) },
});

export function registerClusterHealth(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const list = async (resource: string) => (await deps.store.list(row.id, resource)).items;
    const [nodes, pods, deployments, statefulsets, daemonsets] = await Promise.all(
      ['nodes', 'pods', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps'].map(list),
    );
    const health = clusterHealth({ nodes, pods, deployments, statefulsets, daemonsets });
    const checkedAt = new Date(clusterTime(deps.clock.now(), clusterClockOf(row))).toISOString();
    // A cluster that is not running has no healthy state to report, whatever objects remain.
    const status = row.status === 'RUNNING' || row.status === 'UPDATING' ? health.status : 'unhealthy';
    return c.json({ clusterId: row.id, clusterStatus: row.status, checkedAt, ...health, status }, 200);
  });
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, MonitoringQuery, MonitoringReportSchema } from './schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { samplesForWindow } from '../../../monitoring/samples.ts';
import { buildReport } from '../../../monitoring/report.ts';
import { LOOKBACK_MS } from '../../../monitoring/controller.ts';
import { monitoringWindow } from './window.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/monitoring',
  operationId: 'getClusterMonitoring',
  tags: ['monitoring'],
  summary: 'Time series of node and pool utilization, pods by phase, Deployment replicas, HPA decisions and node counts',
  description:
    "Evaluated like a Prometheus range query: each step takes the newest sample at or before it (samples every 15 s of cluster time, stored when something changed). Times are in the cluster's clock.",
  security: bearer,
  request: { params: ClusterIdParam, query: MonitoringQuery },
  responses: {
    200: { description: 'Monitoring report', content: { 'application/json': { schema: MonitoringReportSchema } } },
    ...errors(401, 403, 404, 422, 429),
  },
});

export function registerMonitoringReport(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const w = monitoringWindow(row, c.req.valid('query'), deps.clock.now());
    const samples = await samplesForWindow(deps.database.db, row.id, w.fromMs, w.toMs, w.stepMs);
    return c.json({ clusterId: row.id, ...buildReport(samples, { ...w, lookbackMs: LOOKBACK_MS }) }, 200);
  });
}

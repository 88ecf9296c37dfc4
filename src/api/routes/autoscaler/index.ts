import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam } from '../clusters/schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { setClusterSetting } from '../../../services/clusters/settings.ts';
import { clusterAutoscalerController, lastAutoscalerReport } from '../../../autoscaling/cluster-autoscaler/controller.ts';
import { autoscalerSettings } from '../../../autoscaling/cluster-autoscaler/settings.ts';
import type { AutoscalerReport } from '../../../autoscaling/cluster-autoscaler/state.ts';
import { listDecisions } from '../../../autoscaling/cluster-autoscaler/events-log.ts';
import { AutoscalerEventList, AutoscalerSettingsRequest, AutoscalerSettingsSchema, AutoscalerStatusSchema, EventsQuery } from './schemas.ts';

const statusRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/autoscaler/status',
  operationId: 'getAutoscalerStatus',
  tags: ['autoscaling'],
  summary: 'Why each node is or is not a scale-down candidate, and why no pool takes each pending pod',
  description: "The cluster autoscaler's view at its last loop (every 10 s of cluster time while a pool has autoscaling on).",
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'Autoscaler status', content: { 'application/json': { schema: AutoscalerStatusSchema } } }, ...errors(401, 403, 404, 429) },
});

const eventsRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/autoscaler/events',
  operationId: 'listAutoscalerEvents',
  tags: ['autoscaling'],
  summary: "The cluster autoscaler's decisions, newest first",
  security: bearer,
  request: { params: ClusterIdParam, query: EventsQuery },
  responses: { 200: { description: 'Decisions', content: { 'application/json': { schema: AutoscalerEventList } } }, ...errors(401, 403, 404, 422, 429) },
});

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/autoscaler/settings',
  operationId: 'getAutoscalerSettings',
  tags: ['autoscaling'],
  summary: "The cluster autoscaler's settings (cluster-autoscaler flags)",
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'Settings', content: { 'application/json': { schema: AutoscalerSettingsSchema } } }, ...errors(401, 403, 404, 429) },
});

const putSettingsRoute = createRoute({
  method: 'put',
  path: '/v1/clusters/{clusterId}/autoscaler/settings',
  operationId: 'putAutoscalerSettings',
  tags: ['autoscaling'],
  summary: 'Replace the autoscaler settings; fields left out take their defaults',
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: AutoscalerSettingsRequest } }, required: true } },
  responses: {
    200: { description: 'Settings', content: { 'application/json': { schema: AutoscalerSettingsSchema } } },
    ...errors(400, 401, 403, 404, 422, 429),
  },
});

/** /v1/clusters/{id}/autoscaler/…: status and events for readers, settings writable by owner and developer. */
export function registerAutoscalerRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(statusRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const { database } = c.get('deps');
    const row = await getClusterInTenant(database, p.tenantId, c.req.valid('param').clusterId);
    const settings = autoscalerSettings(row.settings);
    const report = await lastAutoscalerReport(database, row.id);
    if (!report) {
      const idle: AutoscalerReport = {
        at: '',
        dryRun: settings.dryRun,
        scaleUp: { status: 'NoActivity', options: [] },
        scaleDown: { status: 'NoCandidates', candidates: 0 },
        nodeGroups: [],
        nodes: [],
        pendingPods: [],
      };
      const { at: _never, ...rest } = idle;
      return c.json({ lastRun: null, ...rest, settings }, 200);
    }
    const { at, ...rest } = report;
    return c.json({ lastRun: at, ...rest, settings }, 200);
  });

  app.openapi(eventsRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const { database } = c.get('deps');
    const row = await getClusterInTenant(database, p.tenantId, c.req.valid('param').clusterId);
    const q = c.req.valid('query');
    const rows = await listDecisions(database, row.id, q.limit + 1, q.cursor ? Number(q.cursor) : undefined);
    const page = rows.slice(0, q.limit);
    const items = page.map((r) => ({ id: r.id, type: r.type as 'Normal' | 'Warning', reason: r.reason, message: r.message, at: new Date(r.at).toISOString() }));
    return c.json({ items, nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null }, 200);
  });

  app.openapi(getSettingsRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const row = await getClusterInTenant(c.get('deps').database, p.tenantId, c.req.valid('param').clusterId);
    return c.json(autoscalerSettings(row.settings), 200);
  });

  app.openapi(putSettingsRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const autoscaler = c.req.valid('json');
    // Only the autoscaler part is written: a concurrent write of another part (cloud faults, labels) stays.
    await deps.database.atomicWrite([setClusterSetting(deps.database, row.id, 'autoscaler', autoscaler, deps.clock.now())]);
    // Settings live in the cluster row, not in objects: the autoscaler's next loop is asked for here.
    await deps.queue.enqueueReconcile(row.id, clusterAutoscalerController.name);
    return c.json(autoscalerSettings(JSON.stringify({ autoscaler })), 200);
  });
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, EventListSchema, EventsQuery } from './schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { clusterEventFeed } from '../../../monitoring/event-feed.ts';
import { clusterTime } from '../../../lib/clock.ts';
import { clusterClockOf } from './window.ts';

const DAY = 24 * 3_600_000;

const route = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/events',
  operationId: 'listClusterEvents',
  tags: ['monitoring'],
  summary: "The cluster's Kubernetes Events and the control plane's own (provisioning, scaling, autoscaler, billing), newest first",
  security: bearer,
  request: { params: ClusterIdParam, query: EventsQuery },
  responses: { 200: { description: 'Events', content: { 'application/json': { schema: EventListSchema } } }, ...errors(401, 403, 404, 422, 429) },
});

export function registerClusterEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const q = c.req.valid('query');
    const clock = clusterClockOf(row);
    const sinceMs = q.since ? Date.parse(q.since) : clusterTime(deps.clock.now(), clock) - DAY;
    const items = await clusterEventFeed(deps.database.db, deps.store, { id: row.id, ...clock }, { sinceMs, limit: q.limit, source: q.source, type: q.type });
    return c.json({ clusterId: row.id, items }, 200);
  });
}

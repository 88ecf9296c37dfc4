import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, ClusterList, ClusterSchema, ListClustersQuery } from './schemas.ts';
import { clusterView, getClusterInTenant, poolsOf } from '../../../services/clusters/internal.ts';
import { listClusterRows } from '../../../services/clusters/list.ts';
import { decodeCursor, pageOf } from '../paging.ts';

const getRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}',
  operationId: 'getCluster',
  tags: ['clusters'],
  summary: 'Read a cluster (deleted clusters stay readable)',
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'The cluster', content: { 'application/json': { schema: ClusterSchema } } }, ...errors(401, 403, 404, 429) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/clusters',
  operationId: 'listClusters',
  tags: ['clusters'],
  summary: 'List clusters, newest first (DELETED ones only when asked by status)',
  security: bearer,
  request: { query: ListClustersQuery },
  responses: { 200: { description: 'A page of clusters', content: { 'application/json': { schema: ClusterList } } }, ...errors(400, 401, 403, 422, 429) },
});

export function registerReadClusters(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    return c.json(clusterView(row, await poolsOf(deps.database, row.id), deps.config.publicUrl), 200);
  });

  app.openapi(listRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const q = c.req.valid('query');
    const rows = await listClusterRows(deps.database, p.tenantId, { status: q.status, after: q.cursor ? decodeCursor(q.cursor) : undefined, limit: q.limit });
    const { page, nextCursor } = pageOf(rows, q.limit);
    const items = await Promise.all(page.map(async (r) => clusterView(r, await poolsOf(deps.database, r.id), deps.config.publicUrl)));
    return c.json({ items, nextCursor }, 200);
  });
}

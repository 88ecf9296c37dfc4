import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { desc } from 'drizzle-orm';
import type { AppEnv } from '../../env.ts';
import { requireAdmin } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { afterCursor, PageQuery, pageOf } from '../paging.ts';
import { TenantList } from './schemas.ts';
import { tenants } from '../../../store/schema/index.ts';
import { tenantView } from '../../../services/tenants/tenants.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/tenants',
  operationId: 'listTenants',
  tags: ['tenants'],
  summary: 'List tenants, newest first, deleted ones included (operator admin only)',
  security: bearer,
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of tenants', content: { 'application/json': { schema: TenantList } } }, ...errors(400, 401, 403, 422, 429) },
});

export function registerListTenants(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    requireAdmin(c);
    const { db } = c.get('deps').database;
    const q = c.req.valid('query');
    const rows = await db
      .select()
      .from(tenants)
      .where(q.cursor ? afterCursor(q.cursor, tenants.createdAt, tenants.id) : undefined)
      .orderBy(desc(tenants.createdAt), desc(tenants.id))
      .limit(q.limit + 1)
      .all();
    const { page, nextCursor } = pageOf(rows, q.limit);
    return c.json({ items: page.map(tenantView), nextCursor }, 200);
  });
}

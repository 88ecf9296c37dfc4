import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { afterCursor, PageQuery, pageOf } from '../paging.ts';
import { OperationSchema } from '../clusters/schemas.ts';
import { operations } from '../../../store/schema/index.ts';
import { operationView } from '../../../services/operations/operations.ts';

const ListOperationsQuery = PageQuery.extend({
  clusterId: z
    .string()
    .optional()
    .openapi({ param: { name: 'clusterId', in: 'query' }, description: "Only this cluster's operations", example: 'cls_0123456789abcdef' }),
});

const OperationList = z.object({ items: z.array(OperationSchema), nextCursor: z.string().nullable() }).openapi('OperationList');

const route = createRoute({
  method: 'get',
  path: '/v1/operations',
  operationId: 'listOperations',
  tags: ['operations'],
  summary: "List the tenant's cluster operations, newest first",
  security: bearer,
  request: { query: ListOperationsQuery },
  responses: { 200: { description: 'A page of operations', content: { 'application/json': { schema: OperationList } } }, ...errors(400, 401, 403, 422, 429) },
});

export function registerListOperations(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const q = c.req.valid('query');
    const conds: SQL[] = [eq(operations.tenantId, p.tenantId)];
    if (q.clusterId) conds.push(eq(operations.clusterId, q.clusterId));
    if (q.cursor) conds.push(afterCursor(q.cursor, operations.createdAt, operations.id));
    const rows = await c
      .get('deps')
      .database.db.select()
      .from(operations)
      .where(and(...conds))
      .orderBy(desc(operations.createdAt), desc(operations.id))
      .limit(q.limit + 1)
      .all();
    const { page, nextCursor } = pageOf(rows, q.limit);
    return c.json({ items: page.map(operationView), nextCursor }, 200);
  });
}

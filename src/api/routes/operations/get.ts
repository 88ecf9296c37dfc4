import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { OperationSchema } from '../clusters/schemas.ts';
import { getOperationInTenant, operationView } from '../../../services/operations/operations.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/operations/{operationId}',
  operationId: 'getOperation',
  tags: ['operations'],
  summary: 'Poll a long-running cluster operation',
  security: bearer,
  request: { params: z.object({ operationId: z.string().openapi({ param: { name: 'operationId', in: 'path' }, example: 'op_0123456789abcdef' }) }) },
  responses: { 200: { description: 'The operation', content: { 'application/json': { schema: OperationSchema } } }, ...errors(401, 403, 404, 429) },
});

export function registerGetOperation(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    return c.json(operationView(await getOperationInTenant(c.get('deps').database, p.tenantId, c.req.valid('param').operationId)), 200);
  });
}

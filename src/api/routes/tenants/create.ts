import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireAdmin } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { CreateTenantRequest, TenantSchema } from './schemas.ts';
import { createTenant, tenantView } from '../../../services/tenants/tenants.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/tenants',
  operationId: 'createTenant',
  tags: ['tenants'],
  summary: 'Create a tenant (operator admin only)',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: CreateTenantRequest } }, required: true } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: TenantSchema } } }, ...errors(400, 401, 403, 409, 422, 429) },
});

export function registerCreateTenant(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    requireAdmin(c);
    const deps = c.get('deps');
    const row = await createTenant(deps.database, c.req.valid('json'), deps.clock.now());
    return c.json(tenantView(row), 201);
  });
}

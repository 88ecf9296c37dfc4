import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { bearer, errors } from '../common.ts';
import { TenantIdParam, TenantSchema } from './schemas.ts';
import { getTenant, tenantView } from '../../../services/tenants/tenants.ts';
import { assertTenantAccess } from './access.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenantId}',
  operationId: 'getTenant',
  tags: ['tenants'],
  summary: 'Read a tenant and its plan quotas',
  security: bearer,
  request: { params: TenantIdParam },
  responses: { 200: { description: 'The tenant', content: { 'application/json': { schema: TenantSchema } } }, ...errors(401, 403, 404, 429) },
});

export function registerGetTenant(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid('param');
    assertTenantAccess(c, tenantId, false);
    return c.json(tenantView(await getTenant(c.get('deps').database, tenantId)), 200);
  });
}

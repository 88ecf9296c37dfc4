import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireAdmin } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { TenantIdParam, TenantSchema } from './schemas.ts';
import { OperationSchema } from '../clusters/schemas.ts';
import { tenantView } from '../../../services/tenants/tenants.ts';
import { deleteTenant } from '../../../services/tenants/delete.ts';
import { dispatchOperation } from '../../../services/operations/dispatch.ts';
import { operationView } from '../../../services/operations/operations.ts';

const DeletedTenant = z
  .object({
    tenant: TenantSchema,
    operations: z.array(OperationSchema).openapi({ description: 'The DELETE_CLUSTER operations started for its live clusters' }),
    revokedApiKeys: z.array(z.string()).openapi({ description: 'Ids of the API keys revoked by this call' }),
  })
  .openapi('DeletedTenant');

const route = createRoute({
  method: 'delete',
  path: '/v1/tenants/{tenantId}',
  operationId: 'deleteTenant',
  tags: ['tenants'],
  summary: 'Delete a tenant (operator admin only): revoke its keys, delete its clusters, keep its invoices',
  description:
    'Each live cluster is deleted through the ordinary DELETE_CLUSTER operation (poll them with GET /v1/operations/{id} as the tenant, or watch the clusters turn DELETED). 409 when one of its clusters is busy with another operation; nothing changes then. Calling again finishes what is left.',
  security: bearer,
  request: { params: TenantIdParam },
  responses: {
    202: { description: 'Accepted: the tenant is deleted and its clusters are being deleted', content: { 'application/json': { schema: DeletedTenant } } },
    ...errors(401, 403, 404, 409, 429),
  },
});

export function registerDeleteTenant(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    requireAdmin(c);
    const deps = c.get('deps');
    const result = await deleteTenant(deps.database, c.req.valid('param').tenantId, deps.clock.now());
    for (const id of result.revokedKeyIds) await deps.revokedKeys.revoked(id);
    for (const op of result.operations) await dispatchOperation(deps, op.id);
    return c.json({ tenant: tenantView(result.tenant), operations: result.operations.map(operationView), revokedApiKeys: result.revokedKeyIds }, 202);
  });
}

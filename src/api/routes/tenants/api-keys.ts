import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { bearer, errors } from '../common.ts';
import { ApiKeyList, ApiKeySchema, CreateApiKeyRequest, CreatedApiKeySchema, KeyIdParam, TenantIdParam } from './schemas.ts';
import { apiKeyView, createApiKey, getTenant, listApiKeys, revokeApiKey } from '../../../services/tenants/tenants.ts';
import { assertTenantAccess } from './access.ts';

const createKey = createRoute({
  method: 'post',
  path: '/v1/tenants/{tenantId}/api-keys',
  operationId: 'createApiKey',
  tags: ['tenants'],
  summary: 'Create an API key with a role; the key is shown once',
  security: bearer,
  request: { params: TenantIdParam, body: { content: { 'application/json': { schema: CreateApiKeyRequest } }, required: true } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: CreatedApiKeySchema } } }, ...errors(400, 401, 403, 404, 422, 429) },
});

const listKeys = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenantId}/api-keys',
  operationId: 'listApiKeys',
  tags: ['tenants'],
  summary: 'List API keys (without secrets)',
  security: bearer,
  request: { params: TenantIdParam },
  responses: { 200: { description: 'Keys', content: { 'application/json': { schema: ApiKeyList } } }, ...errors(401, 403, 404, 429) },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/v1/tenants/{tenantId}/api-keys/{keyId}',
  operationId: 'revokeApiKey',
  tags: ['tenants'],
  summary: 'Revoke an API key; it can no longer mint tokens',
  security: bearer,
  request: { params: KeyIdParam },
  responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: ApiKeySchema } } }, ...errors(401, 403, 404, 429) },
});

export function registerApiKeys(app: OpenAPIHono<AppEnv>) {
  app.openapi(createKey, async (c) => {
    const { tenantId } = c.req.valid('param');
    assertTenantAccess(c, tenantId, true);
    const deps = c.get('deps');
    await getTenant(deps.database, tenantId);
    const body = c.req.valid('json');
    const { row, key } = await createApiKey(deps.database, { tenantId, name: body.name, role: body.role }, deps.clock.now());
    return c.json({ ...apiKeyView(row), key }, 201);
  });
  app.openapi(listKeys, async (c) => {
    const { tenantId } = c.req.valid('param');
    assertTenantAccess(c, tenantId, true);
    return c.json({ items: (await listApiKeys(c.get('deps').database, tenantId)).map(apiKeyView) }, 200);
  });
  app.openapi(revokeKey, async (c) => {
    const { tenantId, keyId } = c.req.valid('param');
    assertTenantAccess(c, tenantId, true);
    const deps = c.get('deps');
    const revoked = await revokeApiKey(deps.database, tenantId, keyId, deps.clock.now());
    await deps.revokedKeys.revoked(revoked.id);
    return c.json(apiKeyView(revoked), 200);
  });
}

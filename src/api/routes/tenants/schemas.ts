import { z } from '@hono/zod-openapi';

export const PlanSchema = z
  .object({
    name: z.string(),
    maxClusters: z.number().int(),
    maxNodes: z.number().int(),
    maxTimeScale: z.number(),
    maxObjectsPerCluster: z.number().int(),
    maxPodsPerCluster: z.number().int(),
  })
  .openapi('Plan');

export const TenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: PlanSchema,
    createdAt: z.string(),
    deletedAt: z
      .string()
      .nullable()
      .openapi({ description: 'When the operator deleted the tenant (its keys revoked, its clusters deleted, its invoices kept); null while it lives' }),
  })
  .openapi('Tenant');

export const TenantList = z.object({ items: z.array(TenantSchema), nextCursor: z.string().nullable() }).openapi('TenantList');

export const CreateTenantRequest = z
  .object({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label'),
    plan: z.enum(['free', 'standard', 'enterprise']).optional(),
  })
  .strict()
  .openapi('CreateTenantRequest');

export const RoleSchema = z.enum(['owner', 'developer', 'viewer', 'billing']).openapi('Role');

export const ApiKeySchema = z
  .object({ id: z.string(), name: z.string(), role: RoleSchema, createdAt: z.string(), revokedAt: z.string().nullable() })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string().openapi({ description: 'The secret, shown only once' }) }).openapi('CreatedApiKey');

export const CreateApiKeyRequest = z
  .object({ name: z.string().min(1).max(100).default('default'), role: RoleSchema })
  .strict()
  .openapi('CreateApiKeyRequest');

export const ApiKeyList = z.object({ items: z.array(ApiKeySchema) }).openapi('ApiKeyList');

export const TenantIdParam = z.object({ tenantId: z.string().openapi({ param: { name: 'tenantId', in: 'path' }, example: 'ten_0123456789abcdef' }) });
export const KeyIdParam = TenantIdParam.extend({ keyId: z.string().openapi({ param: { name: 'keyId', in: 'path' }, example: 'key_0123456789abcdef' }) });

import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { apiKeys, keyRevocations, tenants } from '../../store/schema/index.ts';
import { newId, randomString, sha256Hex } from '../../lib/ids.ts';
import { ServiceError } from '../errors.ts';
import { DEFAULT_PLAN, planOf } from '../../clusters/plans.ts';
import type { TenantRole } from '../../auth/principal.ts';

export type TenantRow = typeof tenants.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function tenantView(t: TenantRow) {
  return {
    id: t.id,
    name: t.name,
    plan: planOf(t.plan),
    createdAt: new Date(t.createdAt).toISOString(),
    deletedAt: t.deletedAt ? new Date(t.deletedAt).toISOString() : null,
  };
}

export function apiKeyView(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    role: k.role as TenantRole,
    createdAt: new Date(k.createdAt).toISOString(),
    revokedAt: k.revokedAt ? new Date(k.revokedAt).toISOString() : null,
  };
}

export async function createTenant(database: Database, input: { name: string; plan?: string }, now: number): Promise<TenantRow> {
  const existing = await database.db.select().from(tenants).where(eq(tenants.name, input.name)).get();
  if (existing) throw new ServiceError('conflict', `tenant ${input.name} already exists`);
  const row: TenantRow = { id: newId('ten'), name: input.name, plan: input.plan ?? DEFAULT_PLAN, webhookUrl: null, createdAt: now, deletedAt: null };
  await database.atomicWrite([{ query: database.db.insert(tenants).values(row) }]);
  return row;
}

export async function getTenant(database: Database, tenantId: string): Promise<TenantRow> {
  const row = await database.db.select().from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!row) throw new ServiceError('not_found', `tenant ${tenantId} not found`);
  return row;
}

/** A new API key; the secret is returned once and only its hash is stored. */
export async function createApiKey(
  database: Database,
  input: { tenantId: string | null; name: string; role: string },
  now: number,
): Promise<{ row: ApiKeyRow; key: string }> {
  const key = `kates_${input.tenantId ? 'live' : 'admin'}_${randomString(40)}`;
  const row: ApiKeyRow = {
    id: newId('key'),
    tenantId: input.tenantId,
    name: input.name,
    role: input.role,
    keyHash: await sha256Hex(key),
    createdAt: now,
    revokedAt: null,
  };
  await database.atomicWrite([{ query: database.db.insert(apiKeys).values(row) }]);
  return { row, key };
}

/** A tenant's API keys; an unknown tenant is not found, as it is for every other tenant verb. */
export async function listApiKeys(database: Database, tenantId: string): Promise<ApiKeyRow[]> {
  await getTenant(database, tenantId);
  return database.db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(apiKeys.createdAt).all();
}

/**
 * Marks the key revoked and logs the revocation in the same write: every process learns of it from
 * that log (src/auth/revoked-keys.ts), and the tokens minted for the key die with it.
 */
export async function revokeApiKey(database: Database, tenantId: string, keyId: string, now: number): Promise<ApiKeyRow> {
  const row = await database.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId)))
    .get();
  if (!row) throw new ServiceError('not_found', `api key ${keyId} not found`);
  if (!row.revokedAt) {
    await database.atomicWrite([
      {
        query: database.db
          .update(apiKeys)
          .set({ revokedAt: now })
          .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))),
      },
      { query: database.db.insert(keyRevocations).values({ apiKeyId: keyId, revokedAt: now }) },
    ]);
    row.revokedAt = now;
  }
  return row;
}

/** Looks up a live key by its secret. */
export async function findActiveKey(database: Database, key: string): Promise<ApiKeyRow | undefined> {
  const row = await database.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, await sha256Hex(key)))
    .get();
  return row && !row.revokedAt ? row : undefined;
}

import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { apiKeys } from '../../store/schema/index.ts';
import { newId, sha256Hex } from '../../lib/ids.ts';
import { createApiKey } from './tenants.ts';

/**
 * Makes sure the operator has an admin key: the one given in KATES_ADMIN_KEY, or, on first start, a
 * generated one that is returned so it can be printed once (only its hash is stored).
 */
export async function ensureAdminKey(database: Database, configured: string | undefined, now: number): Promise<{ generatedKey?: string }> {
  if (configured) {
    const hash = await sha256Hex(configured);
    const row = await database.db.select().from(apiKeys).where(eq(apiKeys.keyHash, hash)).get();
    if (!row) {
      await database.atomicWrite([
        {
          query: database.db
            .insert(apiKeys)
            .values({ id: newId('key'), tenantId: null, name: 'admin (KATES_ADMIN_KEY)', role: 'admin', keyHash: hash, createdAt: now }),
        },
      ]);
    }
    return {};
  }
  const existing = await database.db
    .select()
    .from(apiKeys)
    .where(and(isNull(apiKeys.tenantId), isNull(apiKeys.revokedAt)))
    .get();
  if (existing) return {};
  const { key } = await createApiKey(database, { tenantId: null, name: 'admin (generated)', role: 'admin' }, now);
  return { generatedKey: key };
}

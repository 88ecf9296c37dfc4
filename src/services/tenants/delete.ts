import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { apiKeys, clusters, keyRevocations, operations, tenants } from '../../store/schema/index.ts';
import { ServiceError } from '../errors.ts';
import { deleteCluster } from '../clusters/update.ts';
import type { OperationRow } from '../operations/operations.ts';
import { getTenant, type TenantRow } from './tenants.ts';

/**
 * Deletes a tenant as an operator would: its API keys are revoked and the tenant marked deleted in one
 * write (so nobody can start anything new), then each live cluster goes through the ordinary
 * DELETE_CLUSTER operation, which closes its billing intervals. Invoices, usage and the DELETED
 * clusters stay readable. A cluster busy with another operation makes the request 409 before anything
 * changes; calling again later finishes whatever is left (the call is idempotent).
 */
export async function deleteTenant(
  database: Database,
  tenantId: string,
  now: number,
): Promise<{ tenant: TenantRow; operations: OperationRow[]; revokedKeyIds: string[] }> {
  const tenant = await getTenant(database, tenantId);
  const live = await database.db
    .select({ id: clusters.id, status: clusters.status })
    .from(clusters)
    .where(and(eq(clusters.tenantId, tenantId), notInArray(clusters.status, ['DELETED', 'DELETING'])))
    .all();
  if (live.length) {
    const busy = await database.db
      .select()
      .from(operations)
      .where(
        and(
          inArray(
            operations.clusterId,
            live.map((c) => c.id),
          ),
          inArray(operations.status, ['PENDING', 'RUNNING']),
        ),
      )
      .get();
    if (busy)
      throw new ServiceError('conflict', `cluster ${busy.clusterId} has operation ${busy.id} (${busy.type}) in progress; delete the tenant once it ends`, {
        operationId: busy.id,
        clusterId: busy.clusterId,
      });
  }

  const keys = await database.db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .all();
  const deletedAt = tenant.deletedAt ?? now;
  await database.atomicWrite([
    { query: database.db.update(tenants).set({ deletedAt }).where(eq(tenants.id, tenantId)) },
    ...(keys.length
      ? [
          {
            query: database.db
              .update(apiKeys)
              .set({ revokedAt: now })
              .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt))),
          },
        ]
      : []),
    ...keys.map((k) => ({ query: database.db.insert(keyRevocations).values({ apiKeyId: k.id, revokedAt: now }) })),
  ]);

  const started: OperationRow[] = [];
  for (const c of live) started.push((await deleteCluster(database, tenantId, c.id, now)).operation);
  return { tenant: { ...tenant, deletedAt }, operations: started, revokedKeyIds: keys.map((k) => k.id) };
}

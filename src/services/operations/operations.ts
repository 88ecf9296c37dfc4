import { and, eq, inArray } from 'drizzle-orm';
import type { Database, WriteStatement } from '../../store/db.ts';
import { clusters, operations } from '../../store/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { ServiceError } from '../errors.ts';

import type { OperationProgress, OperationRow, OperationStep, OperationType } from '../../clusters/operations.ts';
export type { OperationProgress, OperationRow, OperationStep, OperationType };
export { CONTROLLER_DRIVEN } from '../../clusters/operations.ts';

export function operationView(o: OperationRow) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: o.id,
    clusterId: o.clusterId,
    type: o.type as OperationType,
    status: o.status as 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED',
    error: o.error,
    createdAt: iso(o.createdAt)!,
    startedAt: iso(o.startedAt),
    finishedAt: iso(o.finishedAt),
    ...stepsOf(o),
  };
}

function stepsOf(o: OperationRow): { steps?: OperationStep[] } {
  const progress = JSON.parse(o.progress || '{}') as OperationProgress;
  return progress.steps ? { steps: progress.steps } : {};
}

/** One mutating operation per cluster at a time: a second one is 409 naming the one in flight. */
export async function assertNoOperationInFlight(database: Database, clusterId: string): Promise<void> {
  const inFlight = await database.db
    .select()
    .from(operations)
    .where(and(eq(operations.clusterId, clusterId), inArray(operations.status, ['PENDING', 'RUNNING'])))
    .all();
  // A CREATE whose cluster already reads RUNNING is only waking the controllers before it is marked
  // done (a retry of it provisions nothing more): a client that saw RUNNING may change the cluster.
  const created = inFlight.some((o) => o.type === 'CREATE_CLUSTER')
    ? await database.db.select({ status: clusters.status }).from(clusters).where(eq(clusters.id, clusterId)).get()
    : undefined;
  const running = inFlight.find((o) => !(o.type === 'CREATE_CLUSTER' && created?.status === 'RUNNING'));
  if (running) {
    throw new ServiceError('conflict', `cluster ${clusterId} has operation ${running.id} (${running.type}) in progress`, { operationId: running.id });
  }
}

export function newOperation(
  input: { tenantId: string; clusterId: string; type: OperationType; input?: unknown; progress?: OperationProgress },
  now: number,
): { row: OperationRow; insert: (db: Database['db']) => WriteStatement } {
  const row: OperationRow = {
    id: newId('op'),
    tenantId: input.tenantId,
    clusterId: input.clusterId,
    type: input.type,
    status: 'PENDING',
    error: null,
    input: JSON.stringify(input.input ?? {}),
    progress: JSON.stringify(input.progress ?? {}),
    createdAt: now,
    startedAt: null,
    finishedAt: null,
  };
  return { row, insert: (db) => ({ query: db.insert(operations).values(row) }) };
}

export async function getOperation(database: Database, id: string): Promise<OperationRow | undefined> {
  return database.db.select().from(operations).where(eq(operations.id, id)).get();
}

export async function getOperationInTenant(database: Database, tenantId: string, id: string): Promise<OperationRow> {
  const row = await database.db
    .select()
    .from(operations)
    .where(and(eq(operations.id, id), eq(operations.tenantId, tenantId)))
    .get();
  if (!row) throw new ServiceError('not_found', `operation ${id} not found`);
  return row;
}

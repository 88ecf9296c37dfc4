import { and, desc, eq, lt } from 'drizzle-orm';
import { newId } from '../../lib/ids.ts';
import type { Database, Db } from '../../store/db.ts';
import { billingAlerts, budgets } from '../../store/schema/index.ts';
import { money, type Money } from '../money.ts';
import type { BudgetScope } from './scope.ts';

export interface Budget {
  id: string;
  name: string;
  amount: Money;
  amountMicro: number;
  thresholds: number[];
  createdAt: string;
  scope: BudgetScope;
}

export interface BudgetAlert {
  id: string;
  budgetId: string;
  period: string;
  thresholdPercent: number;
  /** What the scope owed when the threshold was reached: rated hours plus the estimate of the rest. */
  spent: Money;
  /** The part of `spent` that was an estimate of hours not rated yet ($0.00: all rated). */
  estimated: Money;
  /** Cluster-clock instant before which `spent` was rated; null when nothing was. */
  ratedThrough: string | null;
  budget: Money;
  createdAt: string;
  webhook: { status: WebhookStatus; attempts: number };
}

export type WebhookStatus = 'none' | 'pending' | 'delivered' | 'failed';

type BudgetRow = typeof budgets.$inferSelect;
type AlertRow = typeof billingAlerts.$inferSelect;

export function toBudget(row: BudgetRow): Budget {
  const scope: BudgetScope = {};
  if (row.scopeClusterId) scope.clusterId = row.scopeClusterId;
  if (row.scopeLabel) scope.label = row.scopeLabel;
  return {
    id: row.id,
    name: row.name,
    amount: money(row.amountMicro),
    amountMicro: row.amountMicro,
    thresholds: JSON.parse(row.thresholds),
    createdAt: new Date(row.createdAt).toISOString(),
    scope,
  };
}

export function toAlert(row: AlertRow): BudgetAlert {
  return {
    id: row.id,
    budgetId: row.budgetId,
    period: row.period,
    thresholdPercent: row.thresholdPercent,
    spent: money(row.spentMicro),
    estimated: money(row.estimatedMicro),
    ratedThrough: row.ratedThrough === null ? null : new Date(row.ratedThrough).toISOString(),
    budget: money(row.budgetMicro),
    createdAt: new Date(row.createdAt).toISOString(),
    webhook: { status: row.webhookStatus as WebhookStatus, attempts: row.webhookAttempts },
  };
}

/** `baseline`: what the scope had spent in `period` at creation; thresholds it had passed are never alerted. */
export async function createBudget(
  database: Database,
  input: {
    tenantId: string;
    name: string;
    amountMicro: number;
    thresholds: number[];
    nowMs: number;
    scope?: BudgetScope;
    baseline?: { period: string; spentMicro: number };
  },
): Promise<Budget> {
  const row: BudgetRow = {
    scopeClusterId: input.scope?.clusterId ?? null,
    scopeLabel: input.scope?.label ?? null,
    baselineMicro: input.baseline?.spentMicro ?? 0,
    baselinePeriod: input.baseline?.period ?? null,
    id: newId('bud'),
    tenantId: input.tenantId,
    name: input.name,
    amountMicro: input.amountMicro,
    thresholds: JSON.stringify([...new Set(input.thresholds)].sort((a, b) => a - b)),
    createdAt: input.nowMs,
  };
  await database.atomicWrite([{ query: database.db.insert(budgets).values(row) }]);
  return toBudget(row);
}

export async function listBudgets(db: Db, tenantId: string): Promise<Budget[]> {
  const rows = await db.select().from(budgets).where(eq(budgets.tenantId, tenantId)).orderBy(budgets.createdAt, budgets.id).all();
  return rows.map(toBudget);
}

export async function getBudget(db: Db, tenantId: string, id: string): Promise<Budget | undefined> {
  const row = await db
    .select()
    .from(budgets)
    .where(and(eq(budgets.tenantId, tenantId), eq(budgets.id, id)))
    .get();
  return row ? toBudget(row) : undefined;
}

/** Deletes a budget of the tenant; its past alerts stay readable. False when there was none. */
export async function deleteBudget(database: Database, tenantId: string, id: string): Promise<boolean> {
  if (!(await getBudget(database.db, tenantId, id))) return false;
  await database.atomicWrite([{ query: database.db.delete(budgets).where(and(eq(budgets.tenantId, tenantId), eq(budgets.id, id))) }]);
  return true;
}

/** The tenant's alerts, newest first; `before` is the `createdAt` cursor of the previous page. */
export async function listAlerts(db: Db, tenantId: string, opts: { limit?: number; before?: number } = {}): Promise<BudgetAlert[]> {
  const conds = [eq(billingAlerts.tenantId, tenantId)];
  if (opts.before !== undefined) conds.push(lt(billingAlerts.createdAt, opts.before));
  const rows = await db
    .select()
    .from(billingAlerts)
    .where(and(...conds))
    .orderBy(desc(billingAlerts.createdAt), desc(billingAlerts.id))
    .limit(opts.limit ?? 100)
    .all();
  return rows.map(toAlert);
}

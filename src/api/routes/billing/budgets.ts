import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { AlertSchema, AlertsQuery, BudgetIdParam, BudgetSchema, CreateBudgetRequest } from './schemas.ts';
import { createBudget, deleteBudget, listAlerts, listBudgets, type Budget } from '../../../billing/budgets/budgets.ts';
import { evaluateBudgets } from '../../../billing/budgets/evaluate.ts';
import { parseUsd } from '../../../billing/money.ts';
import { ApiError, notFound } from '../../errors.ts';
import { budgetStatus, scopedSpent } from '../../../billing/budgets/status.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { periodOf } from '../../../billing/reports/periods.ts';
import type { Database } from '../../../store/db.ts';

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/billing/budgets',
  operationId: 'createBudget',
  tags: ['billing'],
  summary: 'Create a monthly budget with alert thresholds (percent of the amount)',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: CreateBudgetRequest } }, required: true } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: BudgetSchema } } }, ...errors(400, 401, 403, 422, 429) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/billing/budgets',
  operationId: 'listBudgets',
  tags: ['billing'],
  summary: "The tenant's budgets",
  security: bearer,
  responses: {
    200: { description: 'Budgets', content: { 'application/json': { schema: z.object({ items: z.array(BudgetSchema) }) } } },
    ...errors(401, 403, 429),
  },
});

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/v1/billing/budgets/{budgetId}',
  operationId: 'deleteBudget',
  tags: ['billing'],
  summary: 'Delete a budget (its past alerts stay)',
  security: bearer,
  request: { params: BudgetIdParam },
  responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 429) },
});

const alertsRoute = createRoute({
  method: 'get',
  path: '/v1/billing/alerts',
  operationId: 'listBillingAlerts',
  tags: ['billing'],
  summary: 'Budget thresholds crossed, newest first (each also POSTed to the tenant webhook when set)',
  security: bearer,
  request: { query: AlertsQuery },
  responses: {
    200: { description: 'Alerts', content: { 'application/json': { schema: z.object({ items: z.array(AlertSchema) }) } } },
    ...errors(401, 403, 422, 429),
  },
});

async function budgetView(database: Database, tenantId: string, { amountMicro: _m, ...b }: Budget, nowMs: number) {
  return { ...b, status: await budgetStatus(database.db, tenantId, b.scope, nowMs) };
}

export function registerBudgets(app: OpenAPIHono<AppEnv>) {
  app.openapi(createRouteDef, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const body = c.req.valid('json');
    const now = deps.clock.now();
    if (body.scope.clusterId) {
      try {
        await getClusterInTenant(deps.database, p.tenantId, body.scope.clusterId);
      } catch {
        throw new ApiError('VALIDATION_FAILED', `scope.clusterId: no cluster ${body.scope.clusterId}`, {
          issues: [{ field: 'scope.clusterId', message: 'no such cluster' }],
        });
      }
    }
    // Thresholds the scope has already passed this month are not news: only later crossings alert.
    const period = periodOf(now);
    const baseline = { period, spentMicro: await scopedSpent(deps.database.db, p.tenantId, body.scope, period, now) };
    const budget = await createBudget(deps.database, {
      tenantId: p.tenantId,
      name: body.name,
      amountMicro: parseUsd(body.amount),
      thresholds: body.thresholds,
      nowMs: now,
      scope: body.scope,
      baseline,
    });
    await evaluateBudgets(deps.database, now, { tenantId: p.tenantId });
    return c.json(await budgetView(deps.database, p.tenantId, budget, now), 201, { Location: `/v1/billing/budgets/${budget.id}` });
  });

  app.openapi(listRoute, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const now = deps.clock.now();
    const items = [];
    for (const b of await listBudgets(deps.database.db, p.tenantId)) items.push(await budgetView(deps.database, p.tenantId, b, now));
    return c.json({ items }, 200);
  });

  app.openapi(deleteRouteDef, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const { budgetId } = c.req.valid('param');
    if (!(await deleteBudget(c.get('deps').database, p.tenantId, budgetId))) throw notFound('budget', budgetId);
    return c.body(null, 204);
  });

  app.openapi(alertsRoute, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const alerts = await listAlerts(c.get('deps').database.db, p.tenantId, { limit: c.req.valid('query').limit });
    return c.json({ items: alerts }, 200);
  });
}

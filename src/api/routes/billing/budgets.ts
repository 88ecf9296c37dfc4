import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { AlertSchema, AlertsQuery, BudgetIdParam, BudgetSchema, CreateBudgetRequest } from './schemas.ts';
import { createBudget, deleteBudget, listAlerts, listBudgets, type Budget } from '../../../billing/budgets/budgets.ts';
import { evaluateBudgets } from '../../../billing/budgets/evaluate.ts';
import { parseUsd } from '../../../billing/money.ts';
import { notFound } from '../../errors.ts';

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
  summary: 'The tenant\'s budgets',
  security: bearer,
  responses: { 200: { description: 'Budgets', content: { 'application/json': { schema: z.object({ items: z.array(BudgetSchema) }) } } }, ...errors(401, 403, 429) },
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
  responses: { 200: { description: 'Alerts', content: { 'application/json': { schema: z.object({ items: z.array(AlertSchema) }) } } }, ...errors(401, 403, 422, 429) },
});

const budgetView = ({ amountMicro: _m, ...b }: Budget) => b;

export function registerBudgets(app: OpenAPIHono<AppEnv>) {
  app.openapi(createRouteDef, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const body = c.req.valid('json');
    const now = deps.clock.now();
    const budget = await createBudget(deps.database, { tenantId: p.tenantId, name: body.name, amountMicro: parseUsd(body.amount), thresholds: body.thresholds, nowMs: now });
    // A budget set below what is already spent alerts right away, not at the next rating.
    await evaluateBudgets(deps.database, now, { tenantId: p.tenantId });
    return c.json(budgetView(budget), 201, { Location: `/v1/billing/budgets/${budget.id}` });
  });

  app.openapi(listRoute, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    return c.json({ items: (await listBudgets(c.get('deps').database.db, p.tenantId)).map(budgetView) }, 200);
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

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { UsageQuery, UsageReportSchema } from './schemas.ts';
import { usageReport } from '../../../billing/reports/usage.ts';
import { reportWindow } from './window.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/billing/usage',
  operationId: 'getBillingUsage',
  tags: ['billing'],
  summary: 'Rated hourly usage of the tenant, summed by cluster, line item, day or hour',
  description: 'Hours are each cluster\'s own clock hours (an accelerated cluster accrues them faster).',
  security: bearer,
  request: { query: UsageQuery },
  responses: { 200: { description: 'Usage report', content: { 'application/json': { schema: UsageReportSchema } } }, ...errors(401, 403, 422, 429) },
});

export function registerBillingUsage(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const q = c.req.valid('query');
    const [from, to] = reportWindow(q, deps.clock.now());
    return c.json(await usageReport(deps.database.db, p.tenantId, from, to, q.groupBy), 200);
  });
}
